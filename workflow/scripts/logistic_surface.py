"""Figure: probability surface of the two-feature logistic model."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import apply_style, plot_probability_surface, save_figure
from odds_to_softmax.training import load_model_and_split

configure_logging(snakemake.log[0])
apply_style()
model, split = load_model_and_split(snakemake.input.model, snakemake.input.data)
positive = split.class_name(model.classes_[1])
figure = plot_probability_surface(model, split, positive)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
