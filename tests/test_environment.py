"""environment.yml (conda) and requirements.txt (pip) must pin the same versions."""

import re
import tomllib
from importlib.metadata import version

import yaml
from packaging.requirements import Requirement

from conftest import REPO

# conda-forge package names that differ from the names pip installs.
CONDA_TO_PIP = {"matplotlib-base": "matplotlib", "snakemake-minimal": "snakemake"}


def _conda_pins():
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    pins, pip_section = {}, []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip_section = entry["pip"]
            continue
        name, _, pinned = entry.partition("=")
        pins[CONDA_TO_PIP.get(name, name)] = pinned
    return environment, pins, pip_section


def _pip_pins():
    pins = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            pins[name.lower()] = pinned
    return pins


def test_conda_and_pip_pin_the_same_versions():
    _, conda, _ = _conda_pins()
    python = conda.pop("python")
    conda.pop("pip")
    assert conda == _pip_pins()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={python}"


def test_conda_installs_this_package_and_uses_conda_forge():
    environment, _, pip_section = _conda_pins()
    assert environment["channels"][0] == "conda-forge"
    assert pip_section == ["-e ."]


def test_every_pin_satisfies_the_package_requirements():
    pins = _pip_pins()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    for line in requirements:
        requirement = Requirement(line)
        name = requirement.name.lower()
        assert name in pins, f"{name} is required but not pinned"
        assert requirement.specifier.contains(pins[name]), (name, pins[name])


def test_this_environment_is_the_pinned_one():
    # The tests run in the environment the pins describe, so CI tests what users get.
    for name, pinned in _pip_pins().items():
        assert re.sub(r"\+.*", "", version(name)) == pinned, name
