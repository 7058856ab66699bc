"""The real workflow on the real datasets, run from nothing in a temporary folder."""

import base64
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from PIL import Image

from odds_to_softmax.settings import rate_name
from odds_to_softmax.training import library_versions

from conftest import FIGURES, REPO, run_snakemake

CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
SWEEP_RATES = CONFIG["sweep"]["learning_rates"]

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
    # Datasets, models, figures, one training job per swept rate, the metrics table.
    assert len(logs) == 2 + 3 + len(FIGURES) + len(SWEEP_RATES) + 1
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


def test_each_swept_rate_trained_as_its_own_job(default_run):
    folder = default_run / "results" / "sweep" / CONFIG["sweep"]["model"]
    epochs = CONFIG["sweep"]["epochs"]
    final = {}
    for rate in SWEEP_RATES:
        history = pd.read_csv(folder / f"lr_{rate_name(rate)}" / "history.csv")
        assert len(history) == epochs + 1
        assert np.all(np.isfinite(history["train_cross_entropy"]))
        final[rate] = history["train_cross_entropy"].iloc[-1]
        losses = history["train_cross_entropy"].to_numpy()
        rises = int(np.sum(np.diff(losses) > 0))
        # The default span: every rate but the largest goes downhill at every step,
        # the largest overshoots at least once and stays finite.
        assert (rises > 0) == (rate == max(SWEEP_RATES)), rate
    small = sorted(SWEEP_RATES)[:-1]
    assert [final[rate] for rate in small] == sorted(
        (final[rate] for rate in small), reverse=True
    )


def test_the_bridge_log_reports_a_rounding_sized_difference(default_run):
    text = (default_run / "results" / "logs" / "plot" / "bridge.log").read_text()
    found = re.search(r"largest test probability difference (\S+)", text)
    assert found, text
    assert float(found.group(1)) < 1e-12


def test_the_metrics_table_matches_every_models_metrics(default_run):
    table = pd.read_csv(default_run / "results" / "metrics.csv")
    assert table["model"].tolist() == list(CONFIG["models"])
    for row in table.itertuples():
        folder = default_run / "results" / "models" / row.model
        metrics = json.loads((folder / "metrics.json").read_text())
        # Rounded to four decimals for reading: within half a unit of the last place.
        assert row.test_accuracy == pytest.approx(metrics["test_accuracy"], abs=5e-5)
        assert row.train_cross_entropy == pytest.approx(
            metrics["train_cross_entropy"], abs=5e-5
        )
        assert row.epochs == metrics["settings"]["epochs"]
    page = (default_run / "results" / "metrics.html").read_text()
    for name in CONFIG["models"]:
        assert f"<th>{name}</th>" in page


def _embedded(html, name):
    """The JSON object the report assigns to ``var <name>`` in its own script."""
    found = re.search(
        rf'<script id="{name}">\s*var {name} = (.*?);\s*</script>', html, re.DOTALL
    )
    assert found, f"no embedded {name} in the report"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def report(default_run, tmp_path_factory):
    # Written beside the run, not into it: other tests compare its results/ bytes.
    path = tmp_path_factory.mktemp("report") / "report.html"
    run_snakemake(default_run, "--report", str(path))
    return path.read_text()


@pytest.mark.parametrize("name", FIGURES)
def test_the_report_embeds_every_figure_with_a_caption(default_run, report, name):
    results = _embedded(report, "results")
    path = f"results/figures/{name}.png"
    assert path in results
    entry = results[path]
    # The embedded data is the figure itself, byte for byte.
    header, data = entry["data_uri"].split(",", 1)
    assert header.startswith("data:image/png;")
    assert header.endswith(";base64")
    assert base64.b64decode(data) == (default_run / path).read_bytes()
    caption = re.sub(r"<[^>]+>", "", entry["caption"])
    assert len(caption.split()) >= 30
    # Jinja filled in the settings: no template syntax is left.
    assert "{{" not in caption
    assert "{%" not in caption


def test_the_report_files_every_figure_under_a_category(report):
    categories = _embedded(report, "categories")
    filed = {
        path: category
        for category, subcategories in categories.items()
        for paths in subcategories.values()
        for path in paths
    }
    for name in FIGURES:
        assert f"results/figures/{name}.png" in filed
    assert sorted(set(filed.values())) == [
        "1. foundations",
        "2. datasets",
        "3. binary model",
        "4. softmax model",
        "5. beyond the essay",
        "6. metrics",
    ]
    assert filed["results/metrics.html"] == "6. metrics"


def test_the_report_tells_the_chain(report):
    description = json.loads(
        re.search(r"var workflow_desc = (.*?);\n", report).group(1)
    )
    for word in ("odds", "log-odds", "sigmoid", "softmax", "gradient descent"):
        assert word in description
    assert "seed 42" in description
