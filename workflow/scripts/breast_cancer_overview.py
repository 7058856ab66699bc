"""Figure: class balance of the binary dataset and two of its raw features."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.data import load_split
from odds_to_softmax.figures import (
    apply_style,
    plot_binary_overview,
    readable,
    save_figure,
)

configure_logging(snakemake.log[0])
apply_style()
params = snakemake.params
figure = plot_binary_overview(
    load_split(snakemake.input[0]),
    params.features,
    readable(params.dataset),
)
save_figure(figure, snakemake.output[0], params.dpi)
