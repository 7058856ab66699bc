"""Bad configuration values get one sentence naming key, value and what is allowed."""

import copy
import math

import pytest
import yaml
from snakemake.utils import validate

from odds_to_softmax.settings import (
    ConfigError,
    canonicalize,
    check_references,
    check_schema,
    coerce_strings,
    describe_datasets,
    rate_name,
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
            r"unknown key\(s\) under models\.softmax: 'learnig_rate' \(given 0\.2, "
            r"did you mean 'learning_rate'\?\); allowed keys:",
        ),
        (
            lambda c: c["models"]["softmax"].update(epochs="many"),
            r"models\.softmax\.epochs: got 'many'; allowed: an integer",
        ),
        # NaN passes every bound of a JSON schema, and inf every lower one.
        (
            lambda c: c["models"]["softmax"].update(learning_rate=math.nan),
            r"models\.softmax\.learning_rate: got nan; allowed: a finite number",
        ),
        (
            lambda c: c["bridge"].update(learning_rate=math.inf),
            r"bridge\.learning_rate: got inf; allowed: a finite number",
        ),
        (
            lambda c: c["figures"].update(odds_marks=[0.2, math.nan]),
            r"figures\.odds_marks\.1: got nan; allowed: a finite number",
        ),
        (
            lambda c: c.update(test_fraction=math.nan),
            r"test_fraction: got nan; allowed: a finite number",
        ),
        # A history of 10**11 epochs would not fit in memory.
        (
            lambda c: c["models"]["softmax"].update(epochs=10**11),
            r"models\.softmax\.epochs: got 100000000000; allowed: an integer <= ",
        ),
        (
            lambda c: c["models"].update({"extra\n": c["models"]["softmax"]}),
            r"models: got the name 'extra\\n'; allowed: names of lower case",
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
            r"feature 'colour' is not in dataset 'breast_cancer'; allowed: mean",
        ),
        (
            lambda c: c["models"]["logistic_surface"].update(
                features=["mean radius", "Mean Texture"]
            ),
            r"feature 'Mean Texture' is not in dataset 'breast_cancer' "
            r"\(did you mean 'mean texture'\?\); allowed:",
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


def test_the_figures_beyond_the_essay_take_their_defaults():
    config = _checked({})
    assert config["figures"]["odds_marks"] == [0.2, 0.5, 0.8]
    assert config["bridge"] == {
        "dataset": "breast_cancer",
        "learning_rate": 0.05,
        "epochs": 1500,
    }
    assert config["sweep"]["model"] == "softmax"
    assert config["sweep"]["learning_rates"] == [0.01, 0.1, 1.0, 200.0]


def _weights_of_one_pixel(config):
    config["models"]["pixels"] = {
        "type": "softmax",
        "dataset": "digits",
        "features": ["pixel_0_1"],
    }
    config["figures"]["weights_model"] = "pixels"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["bridge"].update(dataset="digits"),
            r"bridge\.dataset: got 'digits' with 10 classes; allowed: a two-class",
        ),
        (
            lambda c: c["bridge"].update(dataset="mnist"),
            r"bridge\.dataset: got 'mnist'; allowed: a name under datasets",
        ),
        (
            lambda c: c["sweep"].update(model="perceptron"),
            r"sweep\.model: got 'perceptron'; allowed: a name under models",
        ),
        (
            lambda c: c["figures"].update(confusion_model="perceptron"),
            r"figures\.confusion_model: got 'perceptron'; allowed: a name under",
        ),
        (
            lambda c: c["figures"].update(weights_model="logistic"),
            r"figures\.weights_model: got 'logistic', a logistic model; allowed: a "
            "model of type softmax",
        ),
        (
            _weights_of_one_pixel,
            r"figures\.weights_model: got 'pixels', which does not see whole images",
        ),
        (
            lambda c: c["sweep"].update(learning_rates=[0.1, 0]),
            r"sweep\.learning_rates\.1: got 0; allowed: a number > 0",
        ),
        (
            lambda c: c["figures"].update(odds_marks=[0.5, 1.0]),
            r"figures\.odds_marks\.1: got 1\.0; allowed: a number < 1",
        ),
    ],
)
def test_beyond_the_essay_errors_name_key_value_and_allowed(change, expected):
    with pytest.raises(ConfigError, match=expected):
        _checked(_with(change))


def test_numbers_in_lists_given_as_text_are_numbers():
    config = {"sweep": {"learning_rates": ["0.5", " 5", 2.0], "epochs": "40"}}
    coerce_strings(config, SCHEMA)
    assert config["sweep"] == {"learning_rates": [0.5, 5.0, 2.0], "epochs": 40}


def test_equal_settings_are_written_one_way():
    # What a --config override merged after the file gives: keys out of order,
    # an integer written as a float, a number written as an integer.
    given = _checked(copy.deepcopy(DEFAULT))
    given["models"]["softmax"] = {"epochs": 3000.0, "learning_rate": 1, "l2": 0} | {
        key: value
        for key, value in given["models"]["softmax"].items()
        if key not in ("epochs", "learning_rate", "l2")
    }
    given["figures"]["dpi"] = 150.0
    given["sweep"]["learning_rates"] = [1, 0.5]
    canonicalize(given, SCHEMA)
    softmax = given["models"]["softmax"]
    assert list(softmax) == sorted(softmax)
    assert list(given) == sorted(given)
    assert (softmax["epochs"], softmax["learning_rate"], softmax["l2"]) == (
        3000,
        1.0,
        0.0,
    )
    assert type(softmax["epochs"]) is int
    assert type(softmax["learning_rate"]) is float
    assert type(given["figures"]["dpi"]) is int
    assert [type(rate) for rate in given["sweep"]["learning_rates"]] == [float, float]
    # Lists keep their order: features and rates are the user's sequence.
    assert given["sweep"]["learning_rates"] == [1.0, 0.5]
    assert given["models"]["logistic_surface"]["features"] == [
        "mean radius",
        "mean texture",
    ]
    # Written one way twice is the same text: what Snakemake compares.
    again = copy.deepcopy(given)
    canonicalize(again, SCHEMA)
    assert repr(again) == repr(given)


def test_a_cause_found_twice_is_said_once():
    config = _with(lambda c: c["models"].update(extra={"learnig_rate": 0.2}))
    with pytest.raises(ConfigError) as error:
        _checked(config)
    assert len(error.value.problems) == len(set(error.value.problems))
    assert str(error.value).count("models.extra is missing the key(s)") == 1


@pytest.mark.parametrize(
    ("rate", "name"),
    [
        (0.1, "0.1"),
        (200.0, "200"),
        (1, "1"),
        (1e-05, "1e-05"),
        (0.1000001, "0.1000001"),
    ],
)
def test_a_rate_name_reads_back_as_the_same_rate(rate, name):
    assert rate_name(rate) == name
    assert float(rate_name(rate)) == rate


def test_an_integer_past_the_largest_float_is_not_finite():
    config = _with(lambda c: c["models"]["softmax"].update(learning_rate=10**400))
    with pytest.raises(ConfigError, match=r"got an integer of about 400 digits"):
        _checked(config)


def test_a_value_that_is_not_finite_is_refused_once():
    config = _with(lambda c: c["figures"].update(dpi=math.inf))
    with pytest.raises(ConfigError) as error:
        _checked(config)
    assert error.value.problems == ["figures.dpi: got inf; allowed: a finite number"]


def test_negative_zero_is_written_as_zero():
    config = _checked(_with(lambda c: c["models"]["softmax"].update(l2=-0.0)))
    canonicalize(config, SCHEMA)
    assert math.copysign(1.0, config["models"]["softmax"]["l2"]) == 1.0
