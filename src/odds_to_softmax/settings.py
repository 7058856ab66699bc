"""Check the workflow's configuration before any job runs.

``check_schema`` turns JSON-schema violations into one sentence each, naming the
key, the value given and what is allowed. ``check_references`` then checks what a
schema cannot know: that names point at existing datasets, models and features,
that a logistic model gets two classes, that the chosen test digit exists.
"""

import difflib
import math

import jsonschema

from odds_to_softmax.data import load_bundled

__all__ = [
    "ConfigError",
    "canonicalize",
    "check_references",
    "check_schema",
    "coerce_strings",
    "describe_datasets",
    "rate_name",
]


class ConfigError(ValueError):
    """The configuration is invalid; the message lists every problem found."""

    def __init__(self, problems):
        # One cause can surface twice (once per schema branch): say it once.
        self.problems = list(dict.fromkeys(problems))
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            f"invalid configuration:\n{lines}\n"
            "(keys are written a.b.c here; on the command line a nested key is "
            "given as a mapping, e.g. --config 'figures={format: svg}')"
        )


def _key(path):
    return ".".join(str(part) for part in path) or "(the top level)"


def _allowed(error):
    """What the failing schema keyword allows, in words."""
    schema, value = error.schema, error.validator_value
    number = "an integer" if schema.get("type") == "integer" else "a number"
    types = {"integer": "an integer", "number": "a number", "string": "text"}
    words = {
        "type": lambda: types.get(value, f"a value of type {value}"),
        "enum": lambda: "one of " + ", ".join(repr(item) for item in value),
        "minimum": lambda: f"{number} >= {value}",
        "exclusiveMinimum": lambda: f"{number} > {value}",
        "maximum": lambda: f"{number} <= {value}",
        "exclusiveMaximum": lambda: f"{number} < {value}",
        "minItems": lambda: f"a list of at least {value} item(s)",
        "maxItems": lambda: f"a list of at most {value} item(s)",
        "uniqueItems": lambda: "a list without repeated items",
        "minProperties": lambda: f"at least {value} entry(ies)",
        "pattern": lambda: f"text matching {value}",
        "required": lambda: "the keys " + ", ".join(value),
    }
    allowed = words.get(error.validator, lambda: error.message)()
    description = schema.get("description") if isinstance(schema, dict) else None
    return f"{allowed} ({description})" if description else allowed


def _describe(error, schema):
    """One sentence for one schema violation."""
    if error.validator == "additionalProperties" and error.validator_value is False:
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        where = _key(error.absolute_path)
        given = "; ".join(
            f"{key!r} (given {error.instance[key]!r}{_did_you_mean(key, allowed)})"
            for key in unknown
        )
        return (
            f"unknown key(s) under {where}: {given}; allowed keys: {', '.join(allowed)}"
        )
    if "propertyNames" in error.schema_path:
        return (
            f"{_key(error.absolute_path)}: got the name {error.instance!r}; allowed: "
            "names of lower case letters, digits and _, starting with a letter"
        )
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return f"{_key(error.absolute_path)} is missing the key(s) {', '.join(missing)}"
    if error.validator in ("oneOf", "anyOf") and error.schema.get("description"):
        # No single alternative explains the value: the description names them all.
        return (
            f"{_key(error.absolute_path)}: got {error.instance!r}; allowed: "
            f"{error.schema['description']}"
        )
    return (
        f"{_key(error.absolute_path)}: got {error.instance!r}; allowed: "
        f"{_allowed(error)}"
    )


def _did_you_mean(name, known):
    """', did you mean 'x'?' for the known name closest to ``name``, or ''."""
    close = difflib.get_close_matches(name, known, n=1)
    return f", did you mean {close[0]!r}?" if close else ""


def _resolve(schema, root):
    reference = schema.get("$ref", "")
    if reference.startswith("#/"):
        for part in reference[2:].split("/"):
            root = root[part]
        return root
    return schema


def _key_schema(schema, key, root):
    """The resolved schema of ``key`` in an object ``schema``; {} if it has none."""
    extra = schema.get("additionalProperties")
    sub = schema.get("properties", {}).get(key, extra)
    return _resolve(sub, root) if isinstance(sub, dict) else {}


def _number(text):
    """``text`` as an int or a float if it spells one; else unchanged."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def coerce_strings(config, schema, root=None):
    """Turn numbers written as text into numbers where the schema wants numbers.

    ``snakemake --config 'models={softmax: {epochs: 500}}'`` hands nested values
    over as strings ('500'); this converts them in place so they mean what they
    say. Text that is not a number is left for ``check_schema`` to report.
    """
    root = schema if root is None else root
    schema = _resolve(schema, root)
    if not isinstance(config, dict):
        return
    for key, value in config.items():
        sub = _key_schema(schema, key, root)
        kind = sub.get("type")
        if isinstance(value, str) and kind in ("integer", "number"):
            config[key] = _number(value.strip())
        elif isinstance(value, list) and kind == "array":
            item_kind = _resolve(sub.get("items", {}), root).get("type")
            if item_kind in ("integer", "number"):
                config[key] = [
                    _number(item.strip()) if isinstance(item, str) else item
                    for item in value
                ]
        elif isinstance(value, dict):
            coerce_strings(value, sub, root)


def canonicalize(config, schema, root=None):
    """Write equal settings one way, in place, so that Snakemake sees them as equal.

    Snakemake reruns a job when the text of its parameters changes. Settings that
    mean the same must therefore read the same however they were given: keys in
    sorted order at every depth (``--config`` and ``--configfile`` merge their keys
    after the file's), whole numbers where the schema wants an integer (150.0 is
    150) and floats where it wants any number (1 is 1.0). Run it after the schema
    check, on a config with its defaults filled in.
    """
    root = schema if root is None else root
    schema = _resolve(schema, root)
    items = sorted(config.items())
    config.clear()
    for key, value in items:
        sub = _key_schema(schema, key, root)
        if isinstance(value, dict):
            canonicalize(value, sub, root)
        elif isinstance(value, list):
            item_schema = _resolve(sub.get("items", {}), root)
            value = [_canonical_number(item, item_schema) for item in value]
        else:
            value = _canonical_number(value, sub)
        config[key] = value


def _canonical_number(value, schema):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    kinds = schema.get("type")
    kinds = {kinds} if isinstance(kinds, str) else set(kinds or ())
    if "integer" in kinds and float(value).is_integer():
        return int(value)
    if "number" in kinds:
        # + 0.0 turns -0.0 into 0.0: the same setting, written the same way.
        return float(value) + 0.0
    return value


def check_schema(config, schema):
    """Raise ``ConfigError`` listing every violation of ``schema`` in ``config``.

    NaN and infinities are refused first: JSON schema has no word for them, and
    NaN passes every bound (no comparison with NaN is true).
    """
    infinite = {
        path: value for path, value in _numbers(config) if not _is_finite(value)
    }
    problems = [
        f"{_key(path)}: got {_shown(value)}; allowed: a finite number"
        for path, value in infinite.items()
    ]
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    # A value already refused as not finite breaks its other bounds too: once is
    # enough.
    problems.extend(
        _describe(error, schema)
        for error in errors
        if tuple(error.absolute_path) not in infinite
    )
    if problems:
        raise ConfigError(problems)


def _numbers(value, path=()):
    """(path, number) for every number in a nest of dicts and lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, (*path, index))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def _is_finite(number):
    """Finite as a float: an integer past 1.8e308 overflows the models' floats."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _shown(number):
    """``number`` as a message shows it; an integer too long to print is sized."""
    if isinstance(number, int) and number.bit_length() > 200:
        return f"an integer of about {int(number.bit_length() * math.log10(2))} digits"
    return repr(number)


def rate_name(rate):
    """A learning rate as the shortest text that reads back as the same float.

    0.1 -> "0.1", 200.0 -> "200", 1e-05 -> "1e-05": distinct rates get distinct
    names (unlike the 6 digits of ``format(rate, "g")``), and float(name) == rate.
    """
    text = repr(float(rate))
    return text.removesuffix(".0")


def describe_datasets(config):
    """Feature names, sizes and shapes of every configured dataset, by name."""
    described = {}
    for name, entry in config["datasets"].items():
        dataset = load_bundled(entry["loader"])
        described[name] = {
            "feature_names": [str(feature) for feature in dataset.feature_names],
            "n_samples": int(dataset.y.size),
            "n_classes": len(set(dataset.y.tolist())),
            "is_image": bool(dataset.image_shape),
        }
    return described


def check_references(config, datasets):
    """Raise ``ConfigError`` if names, features or indices point at nothing.

    ``config`` has its defaults filled in; ``datasets`` is ``describe_datasets``'s
    answer for it.
    """
    problems = []
    dataset_names = ", ".join(datasets)

    def dataset(key, name):
        if name not in datasets:
            problems.append(
                f"{key}: got {name!r}; allowed: a name under datasets ({dataset_names})"
            )
            return None
        return datasets[name]

    def features_exist(key, features, name):
        if features == "all" or name not in datasets:
            return
        known = datasets[name]["feature_names"]
        for feature in features:
            if feature not in known:
                # A long list hides the one name that was meant: say it first.
                hint = _did_you_mean(feature, known).removeprefix(", ")
                problems.append(
                    f"{key}: feature {feature!r} is not in dataset {name!r}"
                    f"{f' ({hint})' if hint else ''}; allowed: {', '.join(known)}"
                )

    n_test = {}
    for name, info in datasets.items():
        n_test[name] = math.ceil(config["test_fraction"] * info["n_samples"])
        n_train = info["n_samples"] - n_test[name]
        if min(n_test[name], n_train) < info["n_classes"]:
            problems.append(
                f"test_fraction: got {config['test_fraction']}, which leaves "
                f"{n_test[name]} test and {n_train} training samples of dataset "
                f"{name!r}; allowed: a fraction leaving at least one sample of each "
                f"of its {info['n_classes']} classes on both sides"
            )

    for name, model in config["models"].items():
        key = f"models.{name}"
        info = dataset(f"{key}.dataset", model["dataset"])
        features_exist(f"{key}.features", model["features"], model["dataset"])
        if info and model["type"] == "logistic" and info["n_classes"] != 2:
            problems.append(
                f"{key}.type: got 'logistic' for dataset {model['dataset']!r} with "
                f"{info['n_classes']} classes; allowed: 'softmax' for more than two "
                "classes, or a two-class dataset"
            )

    figures = config["figures"]
    binary = dataset("figures.binary_dataset", figures["binary_dataset"])
    if binary and binary["n_classes"] != 2:
        problems.append(
            f"figures.binary_dataset: got {figures['binary_dataset']!r} with "
            f"{binary['n_classes']} classes; allowed: a two-class dataset"
        )
    features_exist(
        "figures.binary_overview_features",
        figures["binary_overview_features"],
        figures["binary_dataset"],
    )
    images = dataset("figures.multiclass_dataset", figures["multiclass_dataset"])
    if images and not images["is_image"]:
        problems.append(
            f"figures.multiclass_dataset: got {figures['multiclass_dataset']!r}, "
            "which has no images; allowed: an image dataset (loader load_digits)"
        )

    wanted = {
        "figures.logistic_model": (figures["logistic_model"], "logistic"),
        "figures.surface_model": (figures["surface_model"], "logistic"),
        "figures.softmax_model": (figures["softmax_model"], "softmax"),
    }
    for key, (name, model_type) in wanted.items():
        model = config["models"].get(name)
        if model is None:
            problems.append(
                f"{key}: got {name!r}; allowed: a name under models "
                f"({', '.join(config['models'])})"
            )
        elif model["type"] != model_type:
            problems.append(
                f"{key}: got {name!r}, a {model['type']} model; allowed: a model "
                f"of type {model_type}"
            )

    surface = config["models"].get(figures["surface_model"])
    if surface and (surface["features"] == "all" or len(surface["features"]) != 2):
        problems.append(
            f"models.{figures['surface_model']}.features: got "
            f"{surface['features']!r}; allowed: exactly two feature names, since "
            "figures.surface_model draws that model's probability over a plane"
        )

    softmax = config["models"].get(figures["softmax_model"])
    if softmax and softmax["dataset"] in n_test:
        size = n_test[softmax["dataset"]]
        index = figures["transform_test_index"]
        if index >= size:
            problems.append(
                f"figures.transform_test_index: got {index}; allowed: 0 to "
                f"{size - 1}, the test split of {softmax['dataset']!r} has {size} "
                "samples"
            )

    problems.extend(_beyond_the_essay_problems(config, datasets))
    if problems:
        raise ConfigError(problems)


def _beyond_the_essay_problems(config, datasets):
    """What ``check_references`` finds wrong in the figures beyond the essay."""
    problems = []
    models = config["models"]
    model_names = ", ".join(models)
    figures = config["figures"]

    def model(key, name):
        if name not in models:
            problems.append(
                f"{key}: got {name!r}; allowed: a name under models ({model_names})"
            )
            return None
        return models[name]

    model("figures.confusion_model", figures["confusion_model"])
    weights = model("figures.weights_model", figures["weights_model"])
    if weights is not None:
        info = datasets.get(weights["dataset"])
        if weights["type"] != "softmax":
            problems.append(
                f"figures.weights_model: got {figures['weights_model']!r}, a "
                f"{weights['type']} model; allowed: a model of type softmax"
            )
        elif info and not (info["is_image"] and weights["features"] == "all"):
            problems.append(
                f"figures.weights_model: got {figures['weights_model']!r}, which "
                "does not see whole images; allowed: a softmax model on an image "
                "dataset (loader load_digits) with features: all"
            )
    model("sweep.model", config["sweep"]["model"])

    name = config["bridge"]["dataset"]
    if name not in datasets:
        problems.append(
            f"bridge.dataset: got {name!r}; allowed: a name under datasets "
            f"({', '.join(datasets)})"
        )
    elif datasets[name]["n_classes"] != 2:
        problems.append(
            f"bridge.dataset: got {name!r} with {datasets[name]['n_classes']} "
            "classes; allowed: a two-class dataset, since the bridge compares "
            "softmax with two classes to logistic regression"
        )
    return problems
