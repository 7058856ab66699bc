"""Figure: training and test loss of one model at every learning rate of the sweep."""

from odds_to_softmax.artifacts import configure_logging, read_csv
from odds_to_softmax.figures import (
    apply_style,
    plot_learning_rate_sweep,
    readable,
    save_figure,
)

configure_logging(snakemake.log[0])
apply_style()
params = snakemake.params
histories = {
    rate: read_csv(
        path,
        ["epoch", "train_cross_entropy", "test_cross_entropy"],
        epochs=params.epochs,
    )
    for rate, path in zip(params.learning_rates, snakemake.input, strict=True)
}
title = (
    f"Learning-rate sweep: {params.model_type} regression on "
    f"{readable(params.dataset)}, {params.epochs} epochs at each rate"
)
figure = plot_learning_rate_sweep(histories, title)
save_figure(figure, snakemake.output[0], params.dpi)
