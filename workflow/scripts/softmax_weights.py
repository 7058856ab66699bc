"""Figure: each class's weights of a softmax model, drawn as an image."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.data import load_split
from odds_to_softmax.figures import apply_style, plot_class_weights, save_figure
from odds_to_softmax.models import load_model

configure_logging(snakemake.log[0])
apply_style()
model, features = load_model(snakemake.input.model)
split = load_split(snakemake.input.data).select(features.tolist())
save_figure(plot_class_weights(model, split), snakemake.output[0], snakemake.params.dpi)
