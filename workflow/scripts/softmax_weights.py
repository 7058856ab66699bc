"""Figure: each class's weights of a softmax model, drawn as an image."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import apply_style, plot_class_weights, save_figure
from odds_to_softmax.training import load_model_and_split

configure_logging(snakemake.log[0])
apply_style()
model, split = load_model_and_split(snakemake.input.model, snakemake.input.data)
save_figure(plot_class_weights(model, split), snakemake.output[0], snakemake.params.dpi)
