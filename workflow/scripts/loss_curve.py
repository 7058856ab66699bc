"""Figure: train and test cross-entropy per epoch of one trained model."""

from odds_to_softmax.artifacts import configure_logging, read_csv, read_json
from odds_to_softmax.figures import (
    apply_style,
    describe_training,
    plot_loss_curves,
    save_figure,
    training_warning,
)

configure_logging(snakemake.log[0])
apply_style()
history = read_csv(snakemake.input.history, ["epoch", "train_cross_entropy"])
metrics = read_json(snakemake.input.metrics)
figure = plot_loss_curves(
    history,
    snakemake.params.title,
    describe_training(metrics),
    training_warning(metrics),
)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
