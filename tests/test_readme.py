"""The README's commands are the ones CI runs."""

import re

from conftest import REPO


def _shell_blocks():
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def test_ci_runs_the_readmes_test_command():
    test_command = next(block.strip() for block in _shell_blocks() if "pytest" in block)
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


def test_the_readmes_run_command_runs_the_workflow():
    run_command = _shell_blocks()[0].strip()
    assert run_command.endswith("snakemake --cores all")
    assert "pip install -r requirements.txt -e ." in run_command
