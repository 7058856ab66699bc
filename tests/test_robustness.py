"""The workflow as a trusted build tool: bad input, reruns, interruptions, bytes."""

import json
import os
import re
import shutil
import signal
import subprocess
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
import yaml
from PIL import Image

from conftest import (
    DEFAULT_CONFIG,
    FIGURES,
    REPO,
    SNAKEMAKE,
    digest_results,
    run_snakemake,
)

pytestmark = pytest.mark.workflow

DEFAULT = yaml.safe_load(DEFAULT_CONFIG.read_text())


def _all_files(workdir):
    return sorted(
        str(path.relative_to(workdir)) for path in workdir.rglob("*") if path.is_file()
    )


def _copy_run(source, destination):
    """A copy of a finished run, file times included, so nothing looks out of date."""
    shutil.copytree(source, destination, symlinks=True)
    return destination


def _planned_jobs(process):
    """Rule name -> job count from a dry run's job table."""
    text = process.stdout + process.stderr
    if "Nothing to be done" in text:
        return {}
    table = text.split("Job stats:", 1)[1].split("total", 1)[0]
    return {
        match.group(1): int(match.group(2))
        for match in re.finditer(r"^(\w+)\s+(\d+)$", table, flags=re.MULTILINE)
    }


# ---------------------------------------------------------------- bad input


def _nested(path, value):
    config = value
    for key in reversed(path):
        config = {key: config}
    return config


def _flow(mapping):
    """A YAML flow mapping for ``--config key={...}``."""
    return yaml.safe_dump(mapping, default_flow_style=True, width=1000).strip()


BAD_VALUES = [
    # (path in the config, bad value, words the message must contain)
    (["models", "softmax", "epochs"], "ten", ["models.softmax.epochs", "'ten'"]),
    (["models", "softmax", "learning_rate"], -0.1, ["learning_rate", "-0.1", "> 0"]),
    (["models", "logistic", "learning_rate"], 0, ["learning_rate", "got 0", "> 0"]),
    (["models", "logistic", "epochs"], 0, ["models.logistic.epochs", "got 0", ">= 1"]),
    (["test_fraction"], 0, ["test_fraction", "got 0", "> 0"]),
    (["test_fraction"], 1.5, ["test_fraction", "got 1.5", "< 1"]),
    (["seed"], -1, ["seed", "got -1", ">= 0"]),
    (["figures", "format"], "jpeg", ["figures.format", "'jpeg'", "'png'"]),
    (["models", "softmax", "learnig_rate"], 0.2, ["'learnig_rate'", "learning_rate"]),
    (["sed"], 3, ["'sed'", "allowed keys", "seed"]),
    (
        ["models", "softmax", "dataset"],
        "mnist",
        ["softmax.dataset", "'mnist'", "digits"],
    ),
    (
        ["datasets", "digits", "loader"],
        "fetch_openml",
        ["'fetch_openml'", "load_digits"],
    ),
    (
        ["models", "logistic_surface", "features"],
        ["mean radius", "colour"],
        ["logistic_surface.features", "'colour'", "mean texture"],
    ),
    (
        ["figures", "transform_test_index"],
        360,
        ["figures.transform_test_index", "got 360", "0 to 359"],
    ),
    # Text that float() reads as NaN, which no schema bound catches.
    (["models", "softmax", "learning_rate"], "nan", ["learning_rate", "got nan"]),
    (["sweep", "epochs"], 10**11, ["sweep.epochs", "got 100000000000", "<="]),
]


@pytest.fixture(scope="module")
def finished_run(default_run, tmp_path_factory):
    """A pristine copy of the default run, for tests that must not change it."""
    return _copy_run(default_run, tmp_path_factory.mktemp("finished") / "run")


def _assert_refused(process, words, before, workdir):
    output = process.stdout + process.stderr
    assert process.returncode != 0, output
    assert "invalid configuration" in output
    for word in words:
        assert word in output, f"{word!r} missing from:\n{output}"
    assert "allowed" in output
    assert "Traceback" not in output
    # Refused before any job ran: not a byte of results/, logs included, changed.
    assert _all_files(workdir / "results") == before[0]
    assert digest_results(workdir) == before[1]


@pytest.mark.parametrize(("path", "value", "words"), BAD_VALUES)
def test_bad_value_on_the_command_line(finished_run, path, value, words):
    before = (_all_files(finished_run / "results"), digest_results(finished_run))
    setting = _nested(path[1:], value) if len(path) > 1 else value
    text = _flow(setting) if isinstance(setting, dict | list) else str(setting)
    process = run_snakemake(
        finished_run, "--cores", "1", "--config", f"{path[0]}={text}", check=False
    )
    _assert_refused(process, words, before, finished_run)


@pytest.mark.parametrize("route", ["config/config.yaml", "--configfile"])
@pytest.mark.parametrize(
    ("path", "value", "words"), [BAD_VALUES[1], BAD_VALUES[8], BAD_VALUES[12]]
)
def test_bad_value_in_a_config_file(finished_run, tmp_path, route, path, value, words):
    config = yaml.safe_load(DEFAULT_CONFIG.read_text())
    target = config
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    before = (_all_files(finished_run / "results"), digest_results(finished_run))
    if route == "--configfile":
        bad = tmp_path / "mine.yaml"
        bad.write_text(yaml.safe_dump(config))
        process = run_snakemake(
            finished_run, "--cores", "1", configfile=bad, check=False
        )
    else:
        (finished_run / "config").mkdir(exist_ok=True)
        own = finished_run / "config" / "config.yaml"
        own.write_text(yaml.safe_dump(config))
        try:
            process = run_snakemake(
                finished_run, "--cores", "1", configfile=None, check=False
            )
        finally:
            shutil.rmtree(finished_run / "config")
    _assert_refused(process, words, before, finished_run)


def test_config_values_are_data_and_names_stay_inside(finished_run, tmp_path):
    marker = tmp_path / "evaluated"
    config = {
        "models": {
            "../../escape": {"type": "softmax", "dataset": "digits"},
            "softmax": {
                "type": "softmax",
                "dataset": f"__import__('os').system('touch {marker}')",
            },
        }
    }
    bad = tmp_path / "hostile.yaml"
    bad.write_text(yaml.safe_dump(config))
    before = (_all_files(finished_run / "results"), digest_results(finished_run))
    process = run_snakemake(finished_run, "--cores", "1", configfile=bad, check=False)
    _assert_refused(process, ["'../../escape'"], before, finished_run)
    bad.write_text(yaml.safe_dump({"models": {"softmax": config["models"]["softmax"]}}))
    process = run_snakemake(finished_run, "--cores", "1", configfile=bad, check=False)
    _assert_refused(
        process, ["models.softmax.dataset", "__import__"], before, finished_run
    )
    assert not marker.exists()
    assert not (finished_run.parent / "escape").exists()


# ---------------------------------------------------------------- reruns


def test_changing_softmax_epochs_reruns_only_what_uses_it(finished_run):
    planned = _planned_jobs(
        run_snakemake(
            finished_run, "-n", "--config", "models={softmax: {epochs: 2999}}"
        )
    )
    assert planned == {
        "train_model": 1,
        "plot_softmax_transform": 1,
        "plot_softmax_loss": 1,
        "plot_softmax_confusion": 1,
        "plot_softmax_weights": 1,
        "collect_metrics": 1,
        "all": 1,
    }


def test_changing_the_dpi_reruns_figures_only(finished_run):
    planned = _planned_jobs(
        run_snakemake(finished_run, "-n", "--config", "figures={dpi: 90}")
    )
    assert planned.pop("all") == 1
    assert all(rule.startswith("plot_") for rule in planned)
    assert len(planned) == len(FIGURES)


@pytest.mark.parametrize(
    "override",
    [
        # The file's own values, merged after its keys: only the order differs.
        "models={softmax: {learning_rate: 0.1, epochs: 3000}}",
        # The same numbers written as another type.
        "figures={dpi: 150.0}",
        "bridge={learning_rate: 0.05, epochs: 1500.0}",
    ],
)
def test_the_same_settings_written_differently_rerun_nothing(finished_run, override):
    planned = _planned_jobs(run_snakemake(finished_run, "-n", "--config", override))
    assert planned == {}


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("figures.py", {f"plot_{name}" for name in ("sigmoid", "softmax_loss")}),
        ("models.py", {"train_model", "plot_logistic_surface"}),
        ("data.py", {"prepare_dataset", "train_model", "plot_digits_overview"}),
    ],
)
def test_editing_a_library_module_reruns_the_jobs_that_import_it(
    finished_run, tmp_path, module, expected
):
    # A copy of the package placed first on the path stands in for an edit.
    package = tmp_path / "src" / "odds_to_softmax"
    shutil.copytree(REPO / "src" / "odds_to_softmax", package)
    env = {"PYTHONPATH": str(tmp_path / "src")}
    unchanged = run_snakemake(finished_run, "-n", env=env)
    assert _planned_jobs(unchanged) == {}
    with (package / module).open("a") as handle:
        handle.write("\n# an edit\n")
    planned = set(_planned_jobs(run_snakemake(finished_run, "-n", env=env)))
    assert expected <= planned
    if module == "figures.py":
        assert planned == {f"plot_{name}" for name in FIGURES} | {"all"}
    if module == "models.py":
        assert "prepare_dataset" not in planned
        assert "plot_sigmoid" not in planned


def test_a_nested_setting_from_the_command_line_reaches_the_model(
    default_run, tmp_path
):
    workdir = _copy_run(default_run, tmp_path / "run")
    run_snakemake(
        workdir,
        "--cores",
        "2",
        "--config",
        "models={softmax: {epochs: 40, learning_rate: 0.05}}",
    )
    metrics = yaml.safe_load(
        (workdir / "results/models/softmax/metrics.json").read_text()
    )
    default = yaml.safe_load(
        (default_run / "results/models/softmax/metrics.json").read_text()
    )
    assert metrics["settings"]["epochs"] == 40
    assert metrics["settings"]["learning_rate"] == 0.05
    history = (workdir / "results/models/softmax/history.csv").read_text()
    assert len(history.splitlines()) == 1 + 41
    assert metrics["train_cross_entropy"] > default["train_cross_entropy"]


# ---------------------------------------------------------------- same bytes


def test_one_core_gives_the_same_bytes_as_two(default_run, tmp_path):
    run_snakemake(tmp_path, "--cores", "1")
    assert digest_results(tmp_path) == digest_results(default_run)


@pytest.mark.parametrize("file_format", ["svg", "pdf"])
def test_every_format_gives_the_same_bytes_twice(default_run, tmp_path, file_format):
    # The trained models are reused: only the figure writers differ by format.
    runs = []
    for cores in ("1", "2"):
        workdir = _copy_run(default_run, tmp_path / f"cores{cores}")
        run_snakemake(
            workdir, "--cores", cores, "--config", f"figures={{format: {file_format}}}"
        )
        runs.append(digest_results(workdir))
        # Let the clock move on, so a date stamp would show up as a difference.
        time.sleep(1.1)
    figures = [name for name in runs[0] if name.endswith(f".{file_format}")]
    assert len(figures) == len(FIGURES)
    assert runs[0] == runs[1]


# ---------------------------------------------------------------- interrupted

SLOW = "models={softmax: {epochs: 10000}}"


@pytest.fixture(scope="module")
def slow_reference(tmp_path_factory):
    """A clean, uninterrupted run of the slow setting, with the network cut off."""
    workdir = tmp_path_factory.mktemp("slow_reference")
    guard = tmp_path_factory.mktemp("no_network")
    attempts = guard / "attempts.txt"
    (guard / "sitecustomize.py").write_text(
        textwrap.dedent(
            f"""
            import socket

            _connect = socket.socket.connect

            def _refuse(self, address):
                if self.family in (socket.AF_INET, socket.AF_INET6):
                    with open({str(attempts)!r}, "a") as log:
                        log.write(repr(address) + "\\n")
                    raise OSError("network access is not allowed in this test")
                return _connect(self, address)

            socket.socket.connect = _refuse
            """
        )
    )
    run_snakemake(
        workdir, "--cores", "2", "--config", SLOW, env={"PYTHONPATH": str(guard)}
    )
    assert not attempts.exists(), attempts.read_text()
    return workdir


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_run_completes_with_the_plain_command(
    slow_reference, tmp_path, signal_number
):
    command = [
        str(SNAKEMAKE),
        "--snakefile",
        str(REPO / "Snakefile"),
        "--configfile",
        str(DEFAULT_CONFIG),
        "--cores",
        "2",
        "--config",
        SLOW,
    ]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    training_log = tmp_path / "results/logs/train_model/softmax.log"
    deadline = time.monotonic() + 120
    while not training_log.exists() or "epoch" not in training_log.read_text():
        assert process.poll() is None, "the run ended before training started"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    # Like Ctrl-C in a terminal (or a kill), the signal reaches the whole group.
    os.killpg(process.pid, signal_number)
    process.wait(timeout=60)
    assert not (tmp_path / "results/models/softmax/metrics.json").exists()
    for path in (tmp_path / "results").rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            _assert_whole(path)
    run_snakemake(tmp_path, "--cores", "2", "--config", SLOW)
    assert digest_results(tmp_path) == digest_results(slow_reference)
    leftovers = [p for p in (tmp_path / "results").rglob(".*") if p.is_file()]
    assert leftovers == []


def _assert_whole(path):
    """Every file an interrupted run left under an output name reads back whole."""
    if path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as archive:
            [archive[name] for name in archive.files]
    elif path.suffix == ".png":
        with Image.open(path) as image:
            image.load()
    elif path.suffix == ".csv":
        assert len(pd.read_csv(path)) > 0
    elif path.suffix == ".json":
        json.loads(path.read_text())


def test_a_damaged_intermediate_names_itself_and_the_fix(default_run, tmp_path):
    workdir = _copy_run(default_run, tmp_path / "run")
    damaged = workdir / "results/data/digits.npz"
    damaged.write_bytes(damaged.read_bytes()[:1000])
    process = run_snakemake(workdir, "--cores", "2", check=False)
    assert process.returncode != 0
    message = (
        "DamagedFileError: cannot read the prepared dataset results/data/digits.npz"
    )
    assert message in process.stderr
    assert "delete it and run snakemake again to rebuild it" in process.stderr
    assert "Traceback" not in process.stderr
    # Several jobs read the digits (training, the sweep, a figure); whichever
    # started first failed, and its log names the damaged file.
    logs = (workdir / "results/logs").rglob("*.log")
    assert any(message in log.read_text() for log in logs)
    damaged.unlink()
    run_snakemake(workdir, "--cores", "2")
    assert digest_results(workdir) == digest_results(default_run)


# ---------------------------------------------------------------- nothing gets in


def test_no_pickle_on_the_data_path():
    sources = [*(REPO / "src").rglob("*.py"), *(REPO / "workflow").rglob("*.py")]
    for source in sources:
        text = source.read_text()
        assert "import pickle" not in text, source
        for call in re.findall(r"np\.load\([^)]*\)", text):
            assert "allow_pickle=False" in call, (source, call)


def test_nothing_is_written_outside_results(default_run):
    top_level = {path.name for path in default_run.iterdir()}
    assert top_level <= {"results", ".snakemake"}
