"""Figure: train and test cross-entropy per epoch of the logistic model."""

import json
from pathlib import Path

import pandas as pd

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import (
    apply_style,
    describe_training,
    plot_loss_curves,
    save_figure,
)

configure_logging(snakemake.log[0])
apply_style()
history = pd.read_csv(snakemake.input.history)
metrics = json.loads(Path(snakemake.input.metrics).read_text())
figure = plot_loss_curves(
    history, "Logistic regression loss curve", describe_training(metrics)
)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
