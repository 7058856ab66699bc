"""Shared fixtures: the repository's paths and one real run of the workflow."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def run_snakemake(workdir, *arguments, check=True):
    """Run the repository's workflow in ``workdir``; return the finished process."""
    command = [
        str(SNAKEMAKE if SNAKEMAKE.exists() else shutil.which("snakemake")),
        "--snakefile",
        str(REPO / "Snakefile"),
        "--directory",
        str(workdir),
        "--configfile",
        str(REPO / "config" / "config.yaml"),
        *arguments,
    ]
    environment = {**os.environ, "MPLBACKEND": "Agg"}
    process = subprocess.run(
        command, capture_output=True, text=True, env=environment, check=False
    )
    if check and process.returncode != 0:
        pytest.fail(
            f"snakemake {' '.join(arguments)} failed ({process.returncode}):\n"
            f"{process.stdout[-4000:]}\n{process.stderr[-4000:]}"
        )
    return process


@pytest.fixture(scope="session")
def default_run(tmp_path_factory):
    """The workflow run once from nothing with the default settings."""
    workdir = tmp_path_factory.mktemp("default_run")
    run_snakemake(workdir, "--cores", "2")
    return workdir
