"""Figure: train and test cross-entropy per epoch of one trained model."""

from odds_to_softmax.artifacts import (
    METRICS_KEYS,
    configure_logging,
    read_csv,
    read_json,
)
from odds_to_softmax.figures import (
    apply_style,
    describe_training,
    plot_loss_curves,
    save_figure,
    training_warning,
)

configure_logging(snakemake.log[0])
apply_style()
metrics = read_json(snakemake.input.metrics, keys=METRICS_KEYS)
# A history with fewer rows than the model's epochs was cut short: refuse it.
history = read_csv(
    snakemake.input.history,
    ["epoch", "train_cross_entropy", "test_cross_entropy"],
    epochs=metrics["settings"]["epochs"],
)
figure = plot_loss_curves(
    history,
    snakemake.params.title,
    describe_training(metrics),
    training_warning(metrics),
)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
