"""The real workflow on the real datasets, run from nothing in a temporary folder."""

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from odds_to_softmax.training import library_versions

from conftest import FIGURES, REPO, run_snakemake

pytestmark = pytest.mark.workflow


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_a_real_image(default_run, name):
    path = default_run / "results" / "figures" / f"{name}.png"
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG"
        width, height = image.size
        pixels = np.asarray(image.convert("L"))
    assert min(width, height) >= 400
    # A blank or single-colour canvas would have next to no spread.
    assert pixels.std() > 10


@pytest.mark.parametrize(
    ("model", "n_classes"), [("logistic", 2), ("softmax", 10), ("logistic_surface", 2)]
)
def test_metrics_are_sane(default_run, model, n_classes):
    folder = default_run / "results" / "models" / model
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["initial_cross_entropy"] == pytest.approx(math.log(n_classes))
    assert metrics["train_cross_entropy"] < metrics["initial_cross_entropy"]
    assert not metrics["diverged"]
    if model != "logistic_surface":
        # The essay's loop and scikit-learn reach 0.96 to 0.98 on such splits.
        assert metrics["test_accuracy"] >= 0.95
    assert metrics["versions"] == library_versions()
    history = pd.read_csv(folder / "history.csv")
    assert len(history) == metrics["settings"]["epochs"] + 1
    assert history["train_cross_entropy"].iloc[-1] == pytest.approx(
        metrics["train_cross_entropy"], rel=1e-15
    )


def test_every_job_wrote_a_log(default_run):
    logs = sorted((default_run / "results" / "logs").rglob("*.log"))
    assert len(logs) == 2 + 3 + len(FIGURES)
    training = default_run / "results" / "logs" / "train_model" / "softmax.log"
    text = training.read_text()
    assert "epoch  3000" in text
    assert "test accuracy" in text


def test_a_second_run_does_nothing(default_run):
    process = run_snakemake(default_run, "--dry-run")
    assert "Nothing to be done" in process.stdout + process.stderr


def test_lint_and_format_are_clean(tmp_path):
    lint = run_snakemake(tmp_path, "--lint")
    assert "Congratulations" in lint.stdout + lint.stderr
    snakefmt = Path(sys.executable).with_name("snakefmt")
    check = subprocess.run(
        [str(snakefmt), "--check", "Snakefile", "workflow"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
