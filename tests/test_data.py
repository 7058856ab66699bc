"""Dataset preparation against scikit-learn's own split and scaler."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from odds_to_softmax.data import (
    load_bundled,
    load_split,
    save_split,
    split_and_standardize,
)


@pytest.fixture(scope="module")
def digits_split():
    return split_and_standardize(load_bundled("load_digits"), 0.25, 7)


def test_split_is_scikit_learns_stratified_split(digits_split):
    X, y = load_digits(return_X_y=True)
    X_train, X_test, _, y_test = train_test_split(
        X, y, test_size=0.25, random_state=7, stratify=y
    )
    np.testing.assert_array_equal(digits_split.X_train_raw, X_train)
    np.testing.assert_array_equal(digits_split.y_test, y_test)
    scaler = StandardScaler().fit(X_train)
    np.testing.assert_allclose(
        digits_split.X_test, scaler.transform(X_test), rtol=1e-15
    )


def test_constant_pixels_do_not_make_nan(digits_split):
    assert np.all(np.isfinite(digits_split.X_train))
    assert np.all(np.isfinite(digits_split.X_test))
    constant = digits_split.X_train_raw.std(axis=0) == 0
    assert constant.any()
    np.testing.assert_array_equal(digits_split.X_train[:, constant], 0.0)


def test_split_round_trips_without_pickle(tmp_path, digits_split):
    path = tmp_path / "digits.npz"
    save_split(path, digits_split)
    loaded = load_split(path)
    for name, value in vars(digits_split).items():
        np.testing.assert_array_equal(getattr(loaded, name), value)
    assert loaded.class_name(3) == "3"


def test_a_damaged_file_names_itself_and_the_fix(tmp_path, digits_split):
    path = tmp_path / "digits.npz"
    save_split(path, digits_split)
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(ValueError, match=r"digits\.npz.*run snakemake again"):
        load_split(path)


def test_selecting_features_keeps_their_statistics():
    split = split_and_standardize(load_bundled("load_breast_cancer"), 0.2, 0)
    chosen = split.select(["mean texture", "mean radius"])
    assert chosen.feature_names.tolist() == ["mean texture", "mean radius"]
    column = split.feature_names.tolist().index("mean radius")
    np.testing.assert_array_equal(chosen.X_train[:, 1], split.X_train[:, column])
    assert chosen.scaler_mean[1] == split.scaler_mean[column]
    with pytest.raises(ValueError, match="unknown feature"):
        split.select(["mean radiu"])


def test_only_bundled_datasets_are_offered():
    with pytest.raises(ValueError, match="allowed: load_breast_cancer"):
        load_bundled("fetch_openml")
