"""The real workflow with too large a learning rate: a flagged figure, or a stop."""

import json
import math
import re

import pandas as pd
import pytest

from conftest import run_snakemake

pytestmark = pytest.mark.workflow


def test_a_rising_loss_still_draws_its_figure_and_is_flagged(tmp_path):
    # Breast Cancer's binary loss has curvature up to ~3, so steps of 1000
    # overshoot: the loss jumps, then wanders. A reader may want to see that.
    process = run_snakemake(
        tmp_path,
        "--cores",
        "2",
        "--config",
        "models={logistic: {learning_rate: 1000, epochs: 300}}",
        "--",
        "results/figures/logistic_loss.png",
    )
    assert process.returncode == 0
    assert (tmp_path / "results" / "figures" / "logistic_loss.png").stat().st_size
    folder = tmp_path / "results" / "models" / "logistic"
    metrics = json.loads((folder / "metrics.json").read_text())
    objective = pd.read_csv(folder / "history.csv")["objective"]
    assert metrics["epochs_with_rising_loss"] == (objective.diff() > 0).sum() > 0
    assert metrics["diverged"] == (objective.iloc[-1] > objective.iloc[0])
    assert objective.map(math.isfinite).all()
    log = (tmp_path / "results" / "logs" / "train_model" / "logistic.log").read_text()
    assert re.search(r"WARNING .*the training loss rose .*learning_rate=1000", log)


def test_a_non_finite_loss_stops_the_job_and_draws_nothing(tmp_path):
    # With l2 = 1 a rate of 10 multiplies the weights by about -9 per step:
    # the penalty overflows after some 160 epochs, well before the 300.
    process = run_snakemake(
        tmp_path,
        "--cores",
        "2",
        "--config",
        "models={softmax: {learning_rate: 10, l2: 1, epochs: 300}}",
        "--",
        "results/figures/softmax_loss.png",
        "results/figures/softmax_transform.png",
        check=False,
    )
    assert process.returncode != 0
    message = r"training loss is inf at epoch \d+ of 300 with learning_rate=10"
    assert re.search(message, process.stdout + process.stderr)
    # The message says it all: no traceback into the library.
    assert "Traceback" not in process.stderr
    log = (tmp_path / "results" / "logs" / "train_model" / "softmax.log").read_text()
    assert re.search(rf"CRITICAL .*NonFiniteLossError: {message}", log)
    assert not (tmp_path / "results" / "figures").exists()
    assert not (tmp_path / "results" / "models" / "softmax").exists()
