from pathlib import Path

import yaml
from snakemake.utils import min_version, validate

from odds_to_softmax.provenance import code_fingerprint
from odds_to_softmax.settings import (
    ConfigError,
    canonicalize,
    check_references,
    check_schema,
    coerce_strings,
    describe_datasets,
)

min_version("9.0")

SCHEMA = Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml"

try:
    schema = yaml.safe_load(SCHEMA.read_text())
    coerce_strings(config, schema)
    check_schema(config, schema)
    validate(config, str(SCHEMA), set_default=True)
    canonicalize(config, schema)
    check_references(config, describe_datasets(config))
except ConfigError as error:
    # The message says all there is to say: no traceback into this file.
    raise SystemExit(f"{error}") from None

FIGURE_FORMAT = config["figures"]["format"]
FIGURE_NAMES = [
    "sigmoid",
    "bce_curves",
    "breast_cancer_overview",
    "logistic_loss",
    "logistic_surface",
    "digits_overview",
    "softmax_transform",
    "softmax_loss",
]
FIGURES = [f"results/figures/{name}.{FIGURE_FORMAT}" for name in FIGURE_NAMES]
ENV = "../../environment.yml"


wildcard_constraints:
    dataset="|".join(config["datasets"]),
    model="|".join(config["models"]),


def code(script):
    """Fingerprint of the library modules that workflow/scripts/<script> imports."""
    return code_fingerprint(Path(workflow.basedir) / "workflow" / "scripts" / script)


def figure(name):
    return f"results/figures/{name}.{FIGURE_FORMAT}"


def dataset_file(name):
    return f"results/data/{name}.npz"


def model_files(name):
    folder = f"results/models/{name}"
    return {
        "model": f"{folder}/parameters.npz",
        "history": f"{folder}/history.csv",
        "metrics": f"{folder}/metrics.json",
    }


def model_dataset_file(wildcards):
    return dataset_file(config["models"][wildcards.model]["dataset"])
