"""Figure: probability surface of the two-feature logistic model."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.data import load_split
from odds_to_softmax.figures import apply_style, plot_probability_surface, save_figure
from odds_to_softmax.models import load_model

configure_logging(snakemake.log[0])
apply_style()
model, features = load_model(snakemake.input.model)
split = load_split(snakemake.input.data).select(features.tolist())
positive = split.class_name(model.classes_[1])
figure = plot_probability_surface(model, split, positive)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
