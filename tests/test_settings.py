"""Bad configuration values get one sentence naming key, value and what is allowed."""

import copy

import pytest
import yaml
from snakemake.utils import validate

from odds_to_softmax.settings import (
    ConfigError,
    check_references,
    check_schema,
    describe_datasets,
)

from conftest import REPO

SCHEMA_PATH = REPO / "workflow" / "schemas" / "config.schema.yaml"
SCHEMA = yaml.safe_load(SCHEMA_PATH.read_text())
DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def _checked(config):
    check_schema(config, SCHEMA)
    validate(config, str(SCHEMA_PATH), set_default=True)
    check_references(config, describe_datasets(config))
    return config


def _with(change):
    config = copy.deepcopy(DEFAULT)
    change(config)
    return config


def test_the_default_config_is_valid():
    _checked(copy.deepcopy(DEFAULT))


def test_an_empty_config_takes_the_essays_defaults():
    config = _checked({})
    assert config["models"]["logistic"]["epochs"] == 1500
    assert config["models"]["softmax"]["epochs"] == 3000
    assert config["models"]["softmax"]["learning_rate"] == 0.1
    assert config["figures"]["format"] == "png"


def test_every_schema_key_has_a_description_and_a_default():
    def walk(schema, where):
        for key, sub in schema.get("properties", {}).items():
            assert "description" in sub, f"{where}{key}"
            assert "default" in sub, f"{where}{key}"
            walk(sub, f"{where}{key}.")

    walk(SCHEMA, "")
    for name, definition in SCHEMA["definitions"].items():
        walk(definition, f"definitions.{name}.")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["models"]["softmax"].update(learning_rate=-1),
            r"models\.softmax\.learning_rate: got -1; allowed: a number > 0",
        ),
        (
            lambda c: c["models"]["logistic"].update(epochs=0),
            r"models\.logistic\.epochs: got 0; allowed: an integer >= 1",
        ),
        (
            lambda c: c.update(test_fraction=1.0),
            r"test_fraction: got 1\.0; allowed: a number < 1",
        ),
        (lambda c: c.update(seed=-3), r"seed: got -3; allowed: an integer >= 0"),
        (
            lambda c: c.update(seed=2**32),
            r"seed: got 4294967296; allowed: an integer <= 4294967295",
        ),
        (
            lambda c: c["models"]["softmax"].update(features=[]),
            r"features: got \[\]; allowed: .*\"all\", or a non-empty list",
        ),
        (
            lambda c: c["figures"].update(format="jpg"),
            r"figures\.format: got 'jpg'; allowed: one of 'png', 'svg', 'pdf'",
        ),
        (
            lambda c: c["models"]["softmax"].update(learnig_rate=0.2),
            r"unknown key\(s\) 'learnig_rate' under models\.softmax; allowed keys:",
        ),
        (
            lambda c: c["models"]["softmax"].update(epochs="many"),
            r"models\.softmax\.epochs: got 'many'; allowed: an integer",
        ),
    ],
)
def test_schema_errors_name_key_value_and_allowed(change, expected):
    with pytest.raises(ConfigError, match=expected):
        _checked(_with(change))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["models"]["softmax"].update(dataset="mnist"),
            r"models\.softmax\.dataset: got 'mnist'; allowed: a name under datasets",
        ),
        (
            lambda c: c["models"]["logistic_surface"].update(
                features=["mean radius", "mean smoothness", "colour"]
            ),
            r"feature 'colour' is not in dataset 'breast_cancer'",
        ),
        (
            lambda c: c["models"]["logistic"].update(dataset="digits"),
            r"models\.logistic\.type: got 'logistic' for dataset 'digits' with 10",
        ),
        (
            lambda c: c["figures"].update(transform_test_index=360),
            r"figures\.transform_test_index: got 360; allowed: 0 to 359",
        ),
        (
            lambda c: c["figures"].update(surface_model="softmax"),
            r"figures\.surface_model: got 'softmax', a softmax model",
        ),
    ],
)
def test_reference_errors_name_key_value_and_allowed(change, expected):
    with pytest.raises(ConfigError, match=expected):
        _checked(_with(change))
