"""Figure: one test sample, its logits and its softmax probabilities."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.data import load_split
from odds_to_softmax.figures import apply_style, plot_softmax_transform, save_figure
from odds_to_softmax.models import load_model

configure_logging(snakemake.log[0])
apply_style()
model, features = load_model(snakemake.input.model)
split = load_split(snakemake.input.data).select(features.tolist())
figure = plot_softmax_transform(model, split, snakemake.params.index)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
