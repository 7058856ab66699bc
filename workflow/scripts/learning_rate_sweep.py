"""Figure: training and test loss of one model at every learning rate of the sweep."""

import pandas as pd

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import apply_style, plot_learning_rate_sweep, save_figure

configure_logging(snakemake.log[0])
apply_style()
params = snakemake.params
histories = {
    rate: pd.read_csv(path)
    for rate, path in zip(params.learning_rates, snakemake.input, strict=True)
}
epochs = int(next(iter(histories.values()))["epoch"].iloc[-1])
title = (
    f"Learning-rate sweep: {params.model_type} regression on "
    f"{params.dataset.replace('_', ' ')}, {epochs} epochs at each rate"
)
figure = plot_learning_rate_sweep(histories, title)
save_figure(figure, snakemake.output[0], params.dpi)
