"""Logistic and softmax regression, trained from zero weights by full-batch descent.

Both models share one loop: compute the logits Z = X W + b, the loss and the error
dL/dZ (sigma(Z) - y for two classes, P - Y for many), then step

    W <- W - learning_rate * (X^T error / m + l2 * W)
    b <- b - learning_rate * mean(error)

The objective is the mean cross-entropy plus 0.5 * l2 * ||W||^2; the bias is not
penalized. The loss of every epoch comes from the logits that the step needs anyway,
so recording the history costs no extra pass over the training data.
"""

import logging
import warnings
import zipfile

import numpy as np
import pandas as pd

from odds_to_softmax.artifacts import damaged, write_atomically
from odds_to_softmax.functions import log_softmax, sigmoid, softmax

__all__ = [
    "DivergenceWarning",
    "LogisticRegressionGD",
    "NonFiniteLossError",
    "SoftmaxRegressionGD",
    "load_model",
    "make_model",
    "save_model",
]

logger = logging.getLogger(__name__)


class DivergenceWarning(UserWarning):
    """The training loss rose instead of falling: the learning rate is too large."""


class NonFiniteLossError(ArithmeticError):
    """The loss stopped being a finite number during training."""


class _GradientDescentClassifier:
    """Shared fitting loop; subclasses define the loss and how labels are encoded."""

    _min_classes = 2

    def __init__(self, *, learning_rate=0.1, epochs=1000, l2=0.0, log_every=0):
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.l2 = l2
        self.log_every = log_every

    def _check_parameters(self):
        checks = {
            "learning_rate": (self.learning_rate, "a finite number > 0"),
            "epochs": (self.epochs, "an integer >= 1"),
            "l2": (self.l2, "a finite number >= 0"),
            "log_every": (self.log_every, "an integer >= 0"),
        }
        valid = {
            "learning_rate": _is_real(self.learning_rate) and self.learning_rate > 0,
            "epochs": _is_integer(self.epochs) and self.epochs >= 1,
            "l2": _is_real(self.l2) and self.l2 >= 0,
            "log_every": _is_integer(self.log_every) and self.log_every >= 0,
        }
        for name, ok in valid.items():
            if not ok:
                value, allowed = checks[name]
                raise ValueError(f"{name} must be {allowed}, got {value!r}")

    def fit(self, X, y, X_test=None, y_test=None, classes=None):
        """Train on (X, y) from zero weights; optionally track the loss on a test set.

        X has shape (m, n) and y shape (m,) with any labels (strings, integers that
        do not start at 0, ...). ``classes`` fixes the model's classes, so a class
        that is absent from y still gets its own output; by default they are the
        sorted unique values of y.
        """
        self._check_parameters()
        X = _as_features(X, "X")
        classes = np.unique(y) if classes is None else np.unique(classes)
        if classes.size < self._min_classes:
            raise ValueError(
                f"{type(self).__name__} needs at least {self._min_classes} classes, "
                f"got {classes.size}: {classes.tolist()}"
            )
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        targets = self._encode(y, X.shape[0])
        if X_test is not None:
            X_test = _as_features(X_test, "X_test", self.n_features_in_)
            test_targets = self._encode(y_test, X_test.shape[0])
        self.weights_, self.bias_ = self._zeros(X.shape[1])
        m = X.shape[0]
        rows = []
        for epoch in range(self.epochs + 1):
            logits = X @ self.weights_ + self.bias_
            cross_entropy, error = self._loss_and_error(targets, logits)
            objective = cross_entropy + 0.5 * self.l2 * float(np.sum(self.weights_**2))
            test_cross_entropy = np.nan
            if X_test is not None:
                test_logits = X_test @ self.weights_ + self.bias_
                test_cross_entropy = self._loss_and_error(test_targets, test_logits)[0]
            if not np.isfinite(objective):
                raise NonFiniteLossError(
                    f"training loss is {objective} at epoch {epoch} with "
                    f"learning_rate={self.learning_rate}; lower the learning rate"
                )
            rows.append((epoch, cross_entropy, test_cross_entropy, objective))
            if self.log_every and epoch % self.log_every == 0:
                logger.info(
                    "epoch %5d  train cross-entropy %.6f  test cross-entropy %.6f",
                    epoch,
                    cross_entropy,
                    test_cross_entropy,
                )
            if epoch == self.epochs:
                break
            with np.errstate(over="ignore", invalid="ignore"):
                grad_weights = X.T @ error / m + self.l2 * self.weights_
                grad_bias = error.mean(axis=0)
                self.weights_ = self.weights_ - self.learning_rate * grad_weights
                self.bias_ = self.bias_ - self.learning_rate * grad_bias
        self.history_ = pd.DataFrame(
            rows,
            columns=["epoch", "train_cross_entropy", "test_cross_entropy", "objective"],
        )
        self._check_divergence()
        return self

    def _check_divergence(self):
        objective = self.history_["objective"].to_numpy()
        self.loss_increases_ = int(np.sum(np.diff(objective) > 0))
        self.diverged_ = bool(objective[-1] > objective[0])
        if self.loss_increases_:
            message = (
                f"the training loss rose in {self.loss_increases_} of {self.epochs} "
                f"epochs (from {objective[0]:.6g} to {objective[-1]:.6g}) with "
                f"learning_rate={self.learning_rate}; a smaller learning rate "
                "makes every step go downhill"
            )
            logger.warning(message)
            warnings.warn(message, DivergenceWarning, stacklevel=3)

    def decision_function(self, X):
        """Logits X W + b: shape (m,) for two classes, (m, K) for softmax."""
        X = _as_features(X, "X", self.n_features_in_)
        return X @ self.weights_ + self.bias_

    def predict(self, X):
        """The most probable class of each row, in the original labels."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y):
        """Accuracy on (X, y)."""
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def _encode(self, y, n_rows):
        y = np.asarray(y)
        if y.shape != (n_rows,):
            raise ValueError(
                f"labels must have shape ({n_rows},) to match the features, "
                f"got {y.shape}"
            )
        indices = np.searchsorted(self.classes_, y)
        indices = np.clip(indices, 0, self.classes_.size - 1)
        unknown = self.classes_[indices] != y
        if np.any(unknown):
            raise ValueError(
                f"label {y[unknown][0].item()!r} is not one of the model's classes "
                f"{self.classes_.tolist()}"
            )
        return indices


class LogisticRegressionGD(_GradientDescentClassifier):
    """Binary logistic regression: log(p / (1 - p)) = w^T x + b, p = P(classes_[1]).

    Attributes after ``fit``: ``weights_`` (n,), ``bias_`` (float), ``classes_`` (2,),
    ``history_`` (epochs + 1 rows: the loss after each number of steps),
    ``diverged_`` and ``loss_increases_``.
    """

    def fit(self, X, y, X_test=None, y_test=None, classes=None):
        classes_seen = np.unique(y) if classes is None else np.unique(classes)
        if classes_seen.size != 2:
            raise ValueError(
                "LogisticRegressionGD needs exactly two classes, got "
                f"{classes_seen.size}: {classes_seen.tolist()}; use "
                "SoftmaxRegressionGD for more"
            )
        return super().fit(X, y, X_test, y_test, classes)

    def _zeros(self, n_features):
        return np.zeros(n_features), 0.0

    @staticmethod
    def _loss_and_error(targets, logits):
        # log(1 + e^z) - y z is the cross-entropy written without sigma(z).
        loss = float(np.mean(np.logaddexp(0.0, logits) - targets * logits))
        return loss, sigmoid(logits) - targets

    def predict_proba(self, X):
        """Shape (m, 2): column 1 is sigma(w^T x + b), column 0 its complement."""
        logits = self.decision_function(X)
        return np.column_stack([sigmoid(-logits), sigmoid(logits)])


class SoftmaxRegressionGD(_GradientDescentClassifier):
    """Softmax regression: p_k = exp(z_k) / sum_j exp(z_j), z = x^T W + b.

    Attributes after ``fit``: ``weights_`` (n, K), ``bias_`` (K,), ``classes_`` (K,),
    ``history_``, ``diverged_`` and ``loss_increases_``.
    """

    def _zeros(self, n_features):
        return np.zeros((n_features, self.classes_.size)), np.zeros(self.classes_.size)

    @staticmethod
    def _loss_and_error(targets, logits):
        log_probabilities = log_softmax(logits)
        rows = np.arange(logits.shape[0])
        loss = float(-np.mean(log_probabilities[rows, targets]))
        error = np.exp(log_probabilities)
        error[rows, targets] -= 1.0
        return loss, error

    def predict_proba(self, X):
        """Shape (m, K): the softmax of the logits, each row summing to 1."""
        return softmax(self.decision_function(X))


def _as_features(X, name, n_features=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples, features), got shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(
            f"{name} has {X.shape[1]} features, the model was fit with {n_features}"
        )
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def _is_real(value):
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and np.isfinite(value)
    )


def _is_integer(value):
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


_MODEL_TYPES = {"logistic": LogisticRegressionGD, "softmax": SoftmaxRegressionGD}


def make_model(model_type, **parameters):
    """A new, unfitted model of ``model_type`` ("logistic" or "softmax")."""
    if model_type not in _MODEL_TYPES:
        raise ValueError(
            f"unknown model type {model_type!r}; allowed: {', '.join(_MODEL_TYPES)}"
        )
    return _MODEL_TYPES[model_type](**parameters)


def save_model(path, model, feature_names):
    """Write a fitted model's parameters, classes and feature names as ``.npz``."""
    model_type = next(
        name for name, cls in _MODEL_TYPES.items() if isinstance(model, cls)
    )
    arrays = {
        "model_type": np.asarray(model_type),
        "weights": np.asarray(model.weights_),
        "bias": np.asarray(model.bias_),
        "classes": np.asarray(model.classes_),
        "feature_names": np.asarray(feature_names),
        "learning_rate": np.asarray(model.learning_rate),
        "epochs": np.asarray(model.epochs),
        "l2": np.asarray(model.l2),
    }
    write_atomically(path, lambda handle: np.savez(handle, **arrays), suffix=".npz")


def load_model(path):
    """Read a model written by ``save_model``; returns (model, feature_names)."""
    try:
        # np.load leaks its file handle on a damaged archive: own the handle.
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        model = make_model(
            str(arrays["model_type"]),
            learning_rate=float(arrays["learning_rate"]),
            epochs=int(arrays["epochs"]),
            l2=float(arrays["l2"]),
        )
        model.weights_ = arrays["weights"]
        model.bias_ = arrays["bias"] if arrays["bias"].ndim else float(arrays["bias"])
        model.classes_ = arrays["classes"]
        model.n_features_in_ = arrays["weights"].shape[0]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise damaged(path, error, "trained model") from error
    return model, arrays["feature_names"]
