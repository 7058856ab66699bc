"""Figure: one test sample, its logits and its softmax probabilities."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import apply_style, plot_softmax_transform, save_figure
from odds_to_softmax.training import load_model_and_split

configure_logging(snakemake.log[0])
apply_style()
model, split = load_model_and_split(snakemake.input.model, snakemake.input.data)
figure = plot_softmax_transform(model, split, snakemake.params.index)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
