"""Figure: raw sample images with labels, and the mean image of each class."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.data import load_split
from odds_to_softmax.figures import (
    apply_style,
    plot_image_overview,
    readable,
    save_figure,
)

configure_logging(snakemake.log[0])
apply_style()
params = snakemake.params
figure = plot_image_overview(load_split(snakemake.input[0]), readable(params.dataset))
save_figure(figure, snakemake.output[0], params.dpi)
