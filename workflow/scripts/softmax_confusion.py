"""Figure: the test-set confusion matrix of a trained model, counts annotated."""

from odds_to_softmax.artifacts import METRICS_KEYS, configure_logging, read_json
from odds_to_softmax.figures import (
    apply_style,
    describe_training,
    plot_confusion_matrix,
    readable,
    save_figure,
)
from odds_to_softmax.training import confusion_counts, load_model_and_split

configure_logging(snakemake.log[0])
apply_style()
model, split = load_model_and_split(snakemake.input.model, snakemake.input.data)
metrics = read_json(snakemake.input.metrics, keys=METRICS_KEYS)
figure = plot_confusion_matrix(
    confusion_counts(model, split),
    [split.class_name(label) for label in model.classes_],
    f"Which classes compete: {metrics['model_type']} regression on "
    f"{readable(metrics['settings']['dataset'])}, test set",
    describe_training(metrics),
)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
