"""Every damaged intermediate file gets one clear error that names it and the fix.

Each file is written by the project's own writers (save_split, save_model,
write_json, write_csv), then damaged: emptied, cut, garbled, or rewritten whole
but with arrays, keys or rows that disagree. Reading it must raise
DamagedFileError, whose message names the file and says to delete it and run
snakemake again, never an error from deep inside numpy or pandas.
"""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from odds_to_softmax.artifacts import (
    METRICS_KEYS,
    DamagedFileError,
    ReportedError,
    read_csv,
    read_json,
    write_csv,
    write_json,
)
from odds_to_softmax.data import load_split, save_split
from odds_to_softmax.figures import describe_training, training_warning
from odds_to_softmax.models import load_model, save_model
from odds_to_softmax.training import (
    load_model_and_split,
    metrics_table,
    train_configured_model,
)

FIX = "delete it and run snakemake again"
NOT_AN_ARCHIVE = "not a valid .npz archive written by this workflow"
EPOCHS = 6
COLUMNS = ["epoch", "train_cross_entropy", "test_cross_entropy"]


def _settings(model_type, dataset):
    return {
        "type": model_type,
        "dataset": dataset,
        "features": "all",
        "learning_rate": 0.1,
        "epochs": EPOCHS,
        "l2": 0.0,
    }


@pytest.fixture(scope="module")
def softmax_run(digits):
    """(model, split, metrics) of a short softmax training on Digits."""
    return train_configured_model(digits, _settings("softmax", "digits"))


@pytest.fixture(scope="module")
def logistic_run(breast_cancer):
    """(model, split, metrics) of a short logistic training on Breast Cancer."""
    return train_configured_model(breast_cancer, _settings("logistic", "breast_cancer"))


@pytest.fixture(params=["softmax", "logistic"])
def run(request, softmax_run, logistic_run):
    return {"softmax": softmax_run, "logistic": logistic_run}[request.param]


def _assert_damaged(read, path, *arguments, **keywords):
    """Call ``read(path, ...)``; it must raise the damaged-file error. The message."""
    with pytest.raises(DamagedFileError) as caught:
        read(path, *arguments, **keywords)
    message = str(caught.value)
    assert str(path) in message
    assert FIX in message
    return message


def _rewrite_npz(path, **changes):
    """Rewrite an .npz whole with some arrays changed; None removes one."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays.update(changes)
    np.savez(
        path, **{name: array for name, array in arrays.items() if array is not None}
    )


def test_the_error_is_reported_without_a_traceback():
    assert issubclass(DamagedFileError, ReportedError)


# ------------------------------------------------------------- .npz archives


@pytest.fixture
def split_file(tmp_path, digits):
    path = tmp_path / "digits.npz"
    save_split(path, digits)
    return path


@pytest.fixture
def model_file(tmp_path, run):
    model, split, _ = run
    path = tmp_path / "parameters.npz"
    save_model(path, model, split.feature_names)
    return path


@pytest.fixture(params=["split", "model"])
def archive(request, tmp_path, digits, softmax_run):
    """(path, reader) of a valid prepared dataset or trained model."""
    path = tmp_path / f"{request.param}.npz"
    if request.param == "split":
        save_split(path, digits)
        return path, load_split
    model, split, _ = softmax_run
    save_model(path, model, split.feature_names)
    return path, load_model


def test_valid_archives_read_back_equal(split_file, model_file, digits, run):
    loaded = load_split(split_file)
    for name, value in vars(digits).items():
        np.testing.assert_array_equal(getattr(loaded, name), value)
        assert getattr(loaded, name).dtype == value.dtype
    model, split, _ = run
    loaded, features = load_model(model_file)
    assert type(loaded) is type(model)
    for name in ("weights_", "bias_", "classes_", "n_features_in_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(model, name))
    assert (loaded.learning_rate, loaded.epochs, loaded.l2) == (0.1, EPOCHS, 0.0)
    assert type(loaded.epochs) is int
    np.testing.assert_array_equal(features, split.feature_names)
    np.testing.assert_array_equal(
        loaded.predict_proba(split.X_test), model.predict_proba(split.X_test)
    )


def test_an_empty_archive_is_damaged(archive):
    path, read = archive
    path.write_bytes(b"")
    message = _assert_damaged(read, path)
    assert NOT_AN_ARCHIVE in message
    assert "empty" in message


@pytest.mark.parametrize("garbage", [b"x", b"garbage\n" * 20, b"\x93NUMPY garbage"])
def test_garbage_is_not_an_archive_and_not_pickled_data(archive, garbage):
    path, read = archive
    path.write_bytes(garbage)
    message = _assert_damaged(read, path)
    assert NOT_AN_ARCHIVE in message
    assert "pickle" not in message


@pytest.mark.parametrize("kept", [4, 100, 1000, 0.5, 0.999])
def test_a_cut_archive_is_damaged(archive, kept):
    path, read = archive
    data = path.read_bytes()
    size = kept if isinstance(kept, int) else int(kept * len(data))
    path.write_bytes(data[:size])
    _assert_damaged(read, path)


@pytest.mark.parametrize("where", [0.3, 0.5, 0.7])
def test_a_flipped_byte_is_damaged(archive, where):
    # Inside array data a flipped bit still parses: the zip's CRC-32 catches it.
    path, read = archive
    data = bytearray(path.read_bytes())
    data[int(where * len(data))] ^= 0x01
    path.write_bytes(bytes(data))
    _assert_damaged(read, path)


def test_a_missing_archive_names_itself(tmp_path):
    path = tmp_path / "absent.npz"
    _assert_damaged(load_split, path)
    _assert_damaged(load_model, path)


def test_an_archive_that_is_not_arrays_is_damaged(archive):
    path, read = archive
    np.savez(path, weights=np.zeros(3), notes=np.asarray(["hello"]))
    assert "no array(s)" in _assert_damaged(read, path)


def test_an_archive_with_an_extra_array_is_damaged(archive):
    path, read = archive
    _rewrite_npz(path, extra=np.zeros(2))
    assert "unexpected array(s) extra" in _assert_damaged(read, path)


def _cut(name, rows=10):
    return lambda split: {name: getattr(split, name)[:rows]}


def _with_nan(name):
    def change(split):
        values = getattr(split, name).copy()
        values.flat[3] = np.nan
        return {name: values}

    return change


@pytest.mark.parametrize(
    ("change", "named"),
    [
        # The tester's case: X_train cut, y_train and X_train_raw kept whole.
        (_cut("X_train"), "X_train"),
        (_cut("X_test"), "X_test"),
        (_cut("X_train_raw"), "X_train_raw"),
        (_cut("X_test_raw"), "X_test_raw"),
        (_cut("y_train"), "y_train"),
        (_cut("y_test"), "y_test"),
        (_cut("feature_names"), "feature_names"),
        (_cut("scaler_mean"), "scaler_mean"),
        (_cut("scaler_scale"), "scaler_scale"),
        (_cut("class_names", 3), "class_names"),
        (lambda split: {"X_test": split.X_test[:, :5]}, "X_test"),
        (lambda split: {"X_train": split.X_train[:0]}, "X_train"),
        (_with_nan("X_train"), "X_train"),
        (_with_nan("X_test_raw"), "X_test_raw"),
        (lambda split: {"scaler_scale": 0 * split.scaler_scale}, "scaler_scale"),
        (lambda split: {"classes": split.classes[::-1]}, "classes"),
        (lambda split: {"y_test": split.y_test + 10}, "y_test"),
        (lambda split: {"y_train": split.y_train.astype(str)}, "labels"),
        (lambda split: {"image_shape": np.asarray([8, 7])}, "image_shape"),
        # The right number of pixels, but no rows and columns to draw them in.
        (lambda split: {"image_shape": np.asarray([64])}, "image_shape"),
        (lambda split: {"test_fraction": np.asarray(1.5)}, "test_fraction"),
        # Kinds and dimensions: read_npz refuses them before any shape is compared.
        (lambda split: {"y_train": split.y_train.astype(float)}, "y_train"),
        (lambda split: {"X_train": split.X_train.ravel()}, "X_train"),
        (lambda split: {"seed": np.asarray([0])}, "seed"),
        (lambda split: {"feature_names": np.arange(64)}, "feature_names"),
    ],
)
def test_a_split_whose_arrays_disagree_is_damaged(tmp_path, digits, change, named):
    path = tmp_path / "digits.npz"
    save_split(path, replace(digits, **change(digits)))
    assert named in _assert_damaged(load_split, path)


def test_a_split_missing_an_array_is_damaged(split_file):
    _rewrite_npz(split_file, scaler_scale=None)
    assert "no array(s) scaler_scale" in _assert_damaged(load_split, split_file)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        # The tester's case: a scalar stored as an array.
        ({"epochs": np.asarray([EPOCHS])}, "epochs"),
        ({"epochs": np.asarray([EPOCHS, EPOCHS])}, "epochs"),
        ({"epochs": np.asarray(6.0)}, "epochs"),
        ({"epochs": np.asarray(0)}, "epochs"),
        ({"learning_rate": np.asarray(-0.1)}, "learning_rate"),
        ({"learning_rate": np.asarray(np.nan)}, "learning_rate"),
        ({"l2": np.asarray([0.0])}, "l2"),
        ({"model_type": np.asarray("forest")}, "forest"),
        ({"model_type": np.asarray(["softmax"])}, "model_type"),
        ({"feature_names": np.asarray(["a", "b"])}, "feature_names"),
        ({"classes": np.asarray([0])}, "classes"),
        ({"weights": np.zeros((0,))}, "weights"),
        ({"weights": np.zeros((3, 2, 2))}, "weights"),
        ({"bias": None}, "bias"),
        ({"bias": np.asarray("0.5")}, "bias"),
    ],
)
def test_a_model_whose_arrays_disagree_is_damaged(model_file, changes, named):
    _rewrite_npz(model_file, **changes)
    assert named in _assert_damaged(load_model, model_file)


@pytest.mark.parametrize("name", ["weights_", "bias_"])
def test_a_model_with_non_finite_parameters_is_damaged(model_file, run, name):
    parameters = np.array(getattr(run[0], name), dtype=np.float64)
    parameters.flat[0] = np.inf
    _rewrite_npz(model_file, **{name.removesuffix("_"): parameters})
    assert "NaN or infinite" in _assert_damaged(load_model, model_file)


def test_model_shapes_must_agree_with_its_type(tmp_path, softmax_run):
    model, split, _ = softmax_run
    path = tmp_path / "parameters.npz"
    cases = {
        "bias": model.bias_[:3],
        "classes": model.classes_[:5],
        "weights": model.weights_[:, :4],
        "feature_names": split.feature_names[:10],
    }
    for name, array in cases.items():
        save_model(path, model, split.feature_names)
        _rewrite_npz(path, **{name: array})
        _assert_damaged(load_model, path)
    save_model(path, model, split.feature_names)
    _rewrite_npz(path, classes=model.classes_[::-1])
    assert "sorted" in _assert_damaged(load_model, path)
    # Softmax parameters under a logistic label.
    save_model(path, model, split.feature_names)
    _rewrite_npz(path, model_type=np.asarray("logistic"))
    assert "weights" in _assert_damaged(load_model, path)


# ------------------------------------------------------------- metrics.json


@pytest.fixture
def metrics_file(tmp_path, run):
    path = tmp_path / "metrics.json"
    write_json(path, run[2])
    return path


def test_valid_metrics_read_back_equal(metrics_file, run):
    assert read_json(metrics_file, keys=METRICS_KEYS) == run[2]
    assert read_json(metrics_file) == run[2]


def test_metrics_keys_are_all_that_their_readers_use(softmax_run, logistic_run):
    # The readers get only the checked keys: a key they use that is not checked
    # would raise KeyError here.
    def only_checked(value, keys):
        return {
            key: only_checked(value[key], kind)
            if isinstance(kind, dict)
            else value[key]
            for key, kind in keys.items()
        }

    metrics = {
        "softmax": only_checked(softmax_run[2], METRICS_KEYS),
        "logistic": only_checked(logistic_run[2], METRICS_KEYS),
    }
    for each in metrics.values():
        describe_training(each)
        training_warning({**each, "epochs_with_rising_loss": 1})
        # softmax_confusion.py's title.
        assert each["model_type"] in ("softmax", "logistic")
        assert each["settings"]["dataset"] in ("digits", "breast_cancer")
    assert len(metrics_table(metrics)) == 2


def _metrics_with(metrics, key, value):
    """A copy of ``metrics`` with ``key`` (dotted for nesting) set, or removed."""
    changed = json.loads(json.dumps(metrics))
    *parents, last = key.split(".")
    target = changed
    for parent in parents:
        target = target[parent]
    if value is _REMOVE:
        del target[last]
    else:
        target[last] = value
    return json.dumps(changed)


_REMOVE = object()


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("settings", _REMOVE, "no key settings"),
        ("model_type", _REMOVE, "no key model_type"),
        ("settings.epochs", _REMOVE, "no key settings.epochs"),
        ("settings.dataset", _REMOVE, "no key settings.dataset"),
        ("test_accuracy", _REMOVE, "no key test_accuracy"),
        ("settings", None, "settings holds null"),
        ("settings", [1, 2], "settings holds a list"),
        ("settings.epochs", "6", "settings.epochs holds a string"),
        ("settings.epochs", 6.5, "settings.epochs holds the number 6.5"),
        ("settings.l2", "none", "settings.l2"),
        ("settings.features", 3, "settings.features"),
        ("test_accuracy", None, "test_accuracy holds null"),
        ("test_accuracy", True, "test_accuracy holds true"),
        ("test_accuracy", float("nan"), "test_accuracy holds the number nan"),
        ("diverged", 0, "diverged"),
        ("epochs_with_rising_loss", "0", "epochs_with_rising_loss"),
    ],
)
def test_metrics_of_the_wrong_shape_are_damaged(metrics_file, run, key, value, named):
    metrics_file.write_text(_metrics_with(run[2], key, value))
    assert named in _assert_damaged(read_json, metrics_file, keys=METRICS_KEYS)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{}", "no key"),
        ("null", "holds null, not a JSON object"),
        ("[]", "holds a list, not a JSON object"),
        ('"metrics"', "holds a string"),
        ("3", "holds the number 3"),
    ],
)
def test_json_that_is_not_an_object_is_damaged(tmp_path, text, named):
    path = tmp_path / "metrics.json"
    path.write_text(text)
    assert named in _assert_damaged(read_json, path, keys=METRICS_KEYS)


@pytest.mark.parametrize("kept", [0, 1, 0.5, -2])
def test_cut_metrics_are_damaged(metrics_file, kept):
    text = metrics_file.read_text()
    size = kept if isinstance(kept, int) else int(kept * len(text))
    metrics_file.write_text(text[:size])
    _assert_damaged(read_json, metrics_file, keys=METRICS_KEYS)
    _assert_damaged(read_json, metrics_file)


def test_metrics_that_are_not_text_are_damaged(metrics_file):
    metrics_file.write_bytes(b"\xff\xfe{" + b"\x00" * 10)
    _assert_damaged(read_json, metrics_file)


# ------------------------------------------------------------- history.csv


@pytest.fixture
def history_file(tmp_path, run):
    path = tmp_path / "history.csv"
    write_csv(path, run[0].history_)
    return path


def _lines(path):
    return path.read_text().splitlines(keepends=True)


def test_a_valid_history_reads_back_equal(history_file, run):
    history = run[0].history_
    assert len(history) == EPOCHS + 1
    for epochs in (None, EPOCHS):
        pd.testing.assert_frame_equal(
            read_csv(history_file, COLUMNS, epochs=epochs), history
        )


def test_a_header_only_history_is_damaged(history_file):
    history_file.write_text(_lines(history_file)[0])
    assert "no rows" in _assert_damaged(read_csv, history_file, COLUMNS)


def test_an_empty_history_is_damaged(history_file):
    history_file.write_bytes(b"")
    _assert_damaged(read_csv, history_file, COLUMNS)


@pytest.mark.parametrize("cut", [1, 5, 20])
def test_a_history_cut_mid_line_is_damaged(history_file, cut):
    # Whatever the cut leaves of the last row parses: the missing newline tells.
    history_file.write_text(history_file.read_text()[:-cut])
    assert "cut short" in _assert_damaged(read_csv, history_file, COLUMNS)


@pytest.mark.parametrize("rows", [1, 3, EPOCHS])
def test_a_history_cut_after_whole_rows_is_damaged(history_file, rows):
    history_file.write_text("".join(_lines(history_file)[: 1 + rows]))
    message = _assert_damaged(read_csv, history_file, COLUMNS, epochs=EPOCHS)
    assert f"0 to {rows - 1}" in message
    assert f"0 to {EPOCHS} expected" in message


def test_a_history_with_extra_rows_is_damaged(history_file):
    _assert_damaged(read_csv, history_file, COLUMNS, epochs=EPOCHS - 1)


def _replace_field(path, line, column, value):
    lines = _lines(path)
    fields = lines[line].rstrip("\n").split(",")
    position = lines[0].rstrip("\n").split(",").index(column)
    fields[position] = value
    lines[line] = ",".join(fields) + "\n"
    path.write_text("".join(lines))


@pytest.mark.parametrize(
    ("line", "column", "value", "named"),
    [
        (3, "train_cross_entropy", "abc", "line 3: train_cross_entropy is 'abc'"),
        (2, "test_cross_entropy", "0.5x", "test_cross_entropy is '0.5x'"),
        (4, "objective", "True", "objective"),
        (4, "epoch", "three", "epoch is 'three'"),
        # Python's float() reads this, pandas does not: still not a number here.
        (3, "objective", "1_000", "objective does not hold numbers only"),
        (5, "test_cross_entropy", "", "line 5: test_cross_entropy is nan"),
        (5, "test_cross_entropy", "nan", "line 5: test_cross_entropy is nan"),
        (2, "train_cross_entropy", "inf", "train_cross_entropy is inf"),
        (6, "objective", "-1e999", "objective is -inf"),
        (3, "epoch", "7", "line 3: epoch is 7 where 1 should be"),
        (3, "epoch", "1.5", "line 3: epoch is 1.5"),
    ],
)
def test_a_history_with_a_bad_value_is_damaged(
    history_file, line, column, value, named
):
    _replace_field(history_file, line - 1, column, value)
    assert named in _assert_damaged(read_csv, history_file, COLUMNS)


def test_a_history_with_a_missing_or_extra_field_is_damaged(history_file):
    lines = _lines(history_file)
    lines[3] = lines[3].replace(",", ",1,", 1)
    history_file.write_text("".join(lines))
    _assert_damaged(read_csv, history_file, COLUMNS)
    lines = _lines(history_file)
    lines[3] = lines[3].rsplit(",", 2)[0] + "\n"
    history_file.write_text("".join(lines))
    _assert_damaged(read_csv, history_file, COLUMNS)


@pytest.mark.parametrize("column", COLUMNS)
def test_a_history_without_a_needed_column_is_damaged(history_file, column):
    text = history_file.read_text()
    history_file.write_text(text.replace(column, "something_else", 1))
    assert f"no column(s) {column}" in _assert_damaged(read_csv, history_file, COLUMNS)


def test_a_repeated_or_missing_epoch_is_damaged(history_file):
    lines = _lines(history_file)
    for damaged_lines in (lines[:3] + lines[2:], lines[:3] + lines[4:]):
        history_file.write_text("".join(damaged_lines))
        assert "epochs must count" in _assert_damaged(read_csv, history_file, COLUMNS)


def test_a_history_that_is_not_text_is_damaged(history_file):
    history_file.write_bytes(b"\xff\xfe\x00\x01\n")
    _assert_damaged(read_csv, history_file, COLUMNS)


def test_a_history_with_an_extra_field_says_so_on_one_line(history_file):
    lines = _lines(history_file)
    lines[3] = lines[3].replace(",", ",1,", 1)
    history_file.write_text("".join(lines))
    message = _assert_damaged(read_csv, history_file, COLUMNS)
    assert "\n" not in message


def test_metrics_with_an_integer_too_long_to_read_are_damaged(metrics_file):
    # Python refuses to read integers of more than 4300 digits from text.
    text = metrics_file.read_text()
    metrics_file.write_text(
        text.replace(f'"epochs": {EPOCHS}', '"epochs": ' + "9" * 5000)
    )
    _assert_damaged(read_json, metrics_file, keys=METRICS_KEYS)


# ------------------------------------------------- a model and its dataset


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"feature_names": np.asarray([f"f{i}" for i in range(64)])}, "f0"),
        ({"classes": np.arange(1, 11)}, "classes"),
    ],
)
def test_a_model_that_disagrees_with_its_dataset_is_damaged(
    tmp_path, split_file, softmax_run, changes, named
):
    # Each file is sound on its own: only together do they disagree.
    model, split, _ = softmax_run
    model_path = tmp_path / "parameters.npz"
    save_model(model_path, model, split.feature_names)
    loaded, selected = load_model_and_split(model_path, split_file)
    np.testing.assert_array_equal(loaded.classes_, split.classes)
    np.testing.assert_array_equal(selected.X_test, split.X_test)
    _rewrite_npz(model_path, **changes)
    load_model(model_path)
    message = _assert_damaged(load_model_and_split, model_path, split_file)
    assert named in message
    assert str(split_file) in message
