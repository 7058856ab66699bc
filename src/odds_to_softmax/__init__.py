"""From odds to softmax: logistic and softmax regression written from the equations.

The models are trained by full-batch gradient descent in NumPy; the Snakemake
workflow in this repository uses this package to rebuild every figure of the essay.
"""

__version__ = "0.1.0"
