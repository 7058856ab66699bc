"""Shared fixtures: the repository's paths and one real run of the workflow."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from odds_to_softmax.data import load_bundled, split_and_standardize

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


DEFAULT_CONFIG = REPO / "config" / "config.yaml"
# Every figure the default run draws, by file name without the suffix.
FIGURES = [
    "sigmoid",
    "bce_curves",
    "breast_cancer_overview",
    "logistic_loss",
    "logistic_surface",
    "digits_overview",
    "softmax_transform",
    "softmax_loss",
    "odds_log_odds",
    "softmax_confusion",
    "softmax_weights",
    "bridge",
    "learning_rate_sweep",
]


def run_snakemake(workdir, *arguments, check=True, configfile=DEFAULT_CONFIG, env=None):
    """Run the repository's workflow in ``workdir``; return the finished process.

    ``configfile=None`` passes no ``--configfile``, so Snakemake reads
    ``workdir/config/config.yaml`` as a user's checkout would.
    """
    command = [
        str(SNAKEMAKE if SNAKEMAKE.exists() else shutil.which("snakemake")),
        "--snakefile",
        str(REPO / "Snakefile"),
        "--directory",
        str(workdir),
        *(["--configfile", str(configfile)] if configfile else []),
        *arguments,
    ]
    environment = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    process = subprocess.run(
        command, capture_output=True, text=True, env=environment, check=False
    )
    if check and process.returncode != 0:
        pytest.fail(
            f"snakemake {' '.join(arguments)} failed ({process.returncode}):\n"
            f"{process.stdout[-4000:]}\n{process.stderr[-4000:]}"
        )
    return process


def digest_results(workdir):
    """SHA-256 of every file under ``workdir/results`` except the logs."""
    results = Path(workdir) / "results"
    return {
        str(path.relative_to(results)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(results.rglob("*"))
        if path.is_file() and "logs" not in path.relative_to(results).parts
    }


@pytest.fixture(scope="session")
def digits():
    """Digits, split and standardized with test fraction 0.2 and seed 0."""
    return split_and_standardize(load_bundled("load_digits"), 0.2, 0)


@pytest.fixture(scope="session")
def breast_cancer():
    """Breast Cancer, split and standardized with test fraction 0.2 and seed 0."""
    return split_and_standardize(load_bundled("load_breast_cancer"), 0.2, 0)


@pytest.fixture(scope="session")
def default_run(tmp_path_factory):
    """The workflow run once from nothing with the default settings."""
    workdir = tmp_path_factory.mktemp("default_run")
    run_snakemake(workdir, "--cores", "2")
    return workdir
