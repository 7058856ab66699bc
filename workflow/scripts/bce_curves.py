"""Figure: binary cross-entropy of one example, for each true label."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import apply_style, plot_cross_entropy_curves, save_figure

configure_logging(snakemake.log[0])
apply_style()
save_figure(plot_cross_entropy_curves(), snakemake.output[0], snakemake.params.dpi)
