"""Load scikit-learn's bundled datasets, split them, standardize them, save them.

Only datasets that ship inside scikit-learn are offered, so nothing is downloaded.
Saved splits are plain ``.npz`` archives of numeric and unicode arrays, read back
with ``allow_pickle=False``.
"""

import logging
from dataclasses import dataclass, replace

import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from odds_to_softmax.artifacts import damaged, read_npz, write_atomically

__all__ = [
    "BUNDLED_LOADERS",
    "Dataset",
    "Split",
    "load_bundled",
    "load_split",
    "save_split",
    "split_and_standardize",
]

logger = logging.getLogger(__name__)

# scikit-learn's classification datasets that are stored inside the package.
BUNDLED_LOADERS = ("load_breast_cancer", "load_digits", "load_iris", "load_wine")


@dataclass(frozen=True)
class Dataset:
    """A whole dataset: X (m, n), y (m,), names, and the image shape if any."""

    X: np.ndarray
    y: np.ndarray
    feature_names: np.ndarray
    class_names: np.ndarray
    image_shape: tuple


@dataclass(frozen=True)
class Split:
    """A stratified train/test split, raw and standardized.

    ``X_train``/``X_test`` are standardized with the training split's mean and
    scale; ``X_train_raw``/``X_test_raw`` keep the original units. ``classes`` are
    the label values of the whole dataset, ``class_names`` their names;
    ``seed`` and ``test_fraction`` are the split's settings.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    X_train_raw: np.ndarray
    X_test_raw: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    feature_names: np.ndarray
    classes: np.ndarray
    class_names: np.ndarray
    scaler_mean: np.ndarray
    scaler_scale: np.ndarray
    image_shape: np.ndarray
    seed: np.ndarray
    test_fraction: np.ndarray

    def class_name(self, label):
        """The readable name of one label value."""
        return str(self.class_names[np.searchsorted(self.classes, label)])

    def select(self, features):
        """The same split restricted to ``features`` (names), in that order.

        ``"all"`` returns the split unchanged.
        """
        if isinstance(features, str) and features == "all":
            return self
        missing = [name for name in features if name not in self.feature_names]
        if missing:
            raise ValueError(
                f"unknown feature(s) {missing}; the dataset has: "
                f"{', '.join(self.feature_names)}"
            )
        columns = [
            int(np.flatnonzero(self.feature_names == name)[0]) for name in features
        ]
        # Only the full set of pixels, in order, is still an image.
        is_image = columns == list(range(self.X_train.shape[1]))
        return replace(
            self,
            X_train=self.X_train[:, columns],
            X_test=self.X_test[:, columns],
            X_train_raw=self.X_train_raw[:, columns],
            X_test_raw=self.X_test_raw[:, columns],
            feature_names=self.feature_names[columns],
            scaler_mean=self.scaler_mean[columns],
            scaler_scale=self.scaler_scale[columns],
            image_shape=self.image_shape if is_image else np.zeros(0, dtype=np.int64),
        )


def load_bundled(loader):
    """Load one of ``BUNDLED_LOADERS`` by name, e.g. ``"load_digits"``."""
    if loader not in BUNDLED_LOADERS:
        raise ValueError(
            f"unknown dataset loader {loader!r}; allowed: {', '.join(BUNDLED_LOADERS)}"
        )
    bunch = getattr(datasets, loader)()
    images = bunch.get("images")
    return Dataset(
        X=np.asarray(bunch.data, dtype=np.float64),
        y=np.asarray(bunch.target),
        feature_names=np.asarray([str(name) for name in _feature_names(bunch)]),
        class_names=np.asarray([str(name) for name in bunch.target_names]),
        image_shape=() if images is None else tuple(images.shape[1:]),
    )


def _feature_names(bunch):
    names = bunch.get("feature_names")
    if names is None or len(names) != bunch.data.shape[1]:
        return [f"feature {j}" for j in range(bunch.data.shape[1])]
    return names


def split_and_standardize(dataset, test_fraction, seed):
    """Stratified split, then standardization fitted on the training split only.

    Constant features (Digits' always-blank pixels) get scale 1, so they become 0
    rather than NaN.
    """
    X_train_raw, X_test_raw, y_train, y_test = train_test_split(
        dataset.X,
        dataset.y,
        test_size=test_fraction,
        random_state=seed,
        stratify=dataset.y,
    )
    scaler = StandardScaler().fit(X_train_raw)
    logger.info(
        "split %d samples into %d train / %d test (test_fraction %s, seed %s); "
        "%d features, %d of them constant in the training split",
        dataset.y.size,
        y_train.size,
        y_test.size,
        test_fraction,
        seed,
        dataset.X.shape[1],
        int(np.sum(scaler.var_ == 0)),
    )
    return Split(
        X_train=scaler.transform(X_train_raw),
        X_test=scaler.transform(X_test_raw),
        X_train_raw=X_train_raw,
        X_test_raw=X_test_raw,
        y_train=y_train,
        y_test=y_test,
        feature_names=dataset.feature_names,
        classes=np.unique(dataset.y),
        class_names=dataset.class_names,
        scaler_mean=scaler.mean_,
        scaler_scale=scaler.scale_,
        image_shape=np.asarray(dataset.image_shape, dtype=np.int64),
        seed=np.asarray(seed, dtype=np.int64),
        test_fraction=np.asarray(test_fraction, dtype=np.float64),
    )


def save_split(path, split):
    """Write a split as an uncompressed ``.npz``, atomically."""
    write_atomically(
        path, lambda handle: np.savez(handle, **vars(split)), suffix=".npz"
    )


# Every array of a saved split: (dtype kinds, dimensions), as read_npz takes them.
_SPLIT_ARRAYS = {
    "X_train": ("f", 2),
    "X_test": ("f", 2),
    "X_train_raw": ("f", 2),
    "X_test_raw": ("f", 2),
    "y_train": ("iuU", 1),
    "y_test": ("iuU", 1),
    "feature_names": ("U", 1),
    "classes": ("iuU", 1),
    "class_names": ("U", 1),
    "scaler_mean": ("f", 1),
    "scaler_scale": ("f", 1),
    "image_shape": ("iu", 1),
    "seed": ("iu", 0),
    "test_fraction": ("f", 0),
}


def load_split(path):
    """Read a split written by ``save_split``; a damaged file gets a clear error.

    Beyond what each array is (see ``_SPLIT_ARRAYS``), the arrays must agree: with
    X_train of shape (m, n) and X_test of shape (t, n), X_train_raw is (m, n),
    X_test_raw (t, n), y_train (m,), y_test (t,), feature_names, scaler_mean and
    scaler_scale (n,), class_names as long as classes.
    """
    arrays = read_npz(path, "prepared dataset", _SPLIT_ARRAYS)
    problem = _split_problem(arrays)
    if problem:
        raise damaged(path, problem, "prepared dataset")
    return Split(**arrays)


def _split_problem(arrays):
    """What keeps well-typed ``arrays`` from being one consistent split, or None."""
    (m, n), t = arrays["X_train"].shape, arrays["X_test"].shape[0]
    if not (m and n and t):
        return (
            f"X_train has shape {(m, n)} and X_test {arrays['X_test'].shape}: "
            "a split has rows in both and at least one feature"
        )
    # Each array's shape, and the array that fixes it.
    shapes = {
        "X_test": ((t, n), "X_train"),
        "X_train_raw": ((m, n), "X_train"),
        "X_test_raw": ((t, n), "X_test"),
        "y_train": ((m,), "X_train"),
        "y_test": ((t,), "X_test"),
        "feature_names": ((n,), "X_train"),
        "scaler_mean": ((n,), "X_train"),
        "scaler_scale": ((n,), "X_train"),
        "class_names": (arrays["classes"].shape, "classes"),
    }
    for name, (shape, basis) in shapes.items():
        if arrays[name].shape != shape:
            return (
                f"the arrays disagree: {name} has shape {arrays[name].shape} but "
                f"{basis} {arrays[basis].shape}"
            )
    for name in ("X_train", "X_test", "X_train_raw", "X_test_raw", "scaler_mean"):
        if not np.all(np.isfinite(arrays[name])):
            return f"{name} holds NaN or infinite values"
    # Constant features get scale 1 (see split_and_standardize), never 0.
    scale = arrays["scaler_scale"]
    if not np.all(np.isfinite(scale) & (scale > 0)):
        return "scaler_scale holds values that are not finite and > 0"
    labels = ("classes", "y_train", "y_test")
    if len({arrays[name].dtype.kind == "U" for name in labels}) > 1:
        return "the classes and the labels are not all numbers or all strings"
    classes = arrays["classes"]
    # class_name looks labels up by bisection: the classes must be sorted, unique.
    if not np.all(classes[1:] > classes[:-1]):
        return f"classes {classes.tolist()} are not sorted and unique"
    for name in labels[1:]:
        if not np.all(np.isin(arrays[name], classes)):
            return f"{name} holds labels that are not among classes"
    image_shape = arrays["image_shape"]
    if image_shape.size and (
        image_shape.size != 2
        or np.any(image_shape < 1)
        or int(np.prod(image_shape)) != n
    ):
        return (
            f"image_shape {image_shape.tolist()} is not (rows, columns) of {n} pixels"
        )
    if not 0 < arrays["test_fraction"] < 1:
        return f"test_fraction {arrays['test_fraction']} is not between 0 and 1"
    return None
