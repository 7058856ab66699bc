"""Figure: the sigmoid, the map from a logit to a probability."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import apply_style, plot_sigmoid, save_figure

configure_logging(snakemake.log[0])
apply_style()
save_figure(plot_sigmoid(), snakemake.output[0], snakemake.params.dpi)
