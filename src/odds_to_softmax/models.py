"""Logistic and softmax regression, trained from zero weights by full-batch descent.

Both models share one loop: compute the logits Z = X W + b, the loss and the error
dL/dZ (sigma(Z) - y for two classes, P - Y for many), then step

    W <- W - learning_rate * (X^T error / m + l2 * W)
    b <- b - learning_rate * mean(error)

The objective is the mean cross-entropy plus 0.5 * l2 * ||W||^2; the bias is not
penalized. The loss of every epoch comes from the logits that the step needs anyway,
so recording the history costs no extra pass over the training data.

Inside ``fit`` the weights and the bias travel as one parameter matrix [W; b] of
shape (n + 1, K) (a vector (n + 1,) for two classes), and the features get a column
of ones, so one matrix product gives the logits with their bias and another gives
both gradients. The error's -Y part never touches the (m, K) buffers: X^T Y is fixed,
so it is computed once; while the softmax logits are moderate, the target logits'
part of the loss, sum_i z_{i, y_i} = <[W; b], [X 1]^T Y>, comes from it too.
"""

import logging
import math
import warnings

import numpy as np
import pandas as pd

from odds_to_softmax.artifacts import ReportedError, damaged, read_npz, write_atomically
from odds_to_softmax.functions import one_hot, sigmoid, softmax

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

# The unshifted softmax loss sum(log S_i) - sum(z_iy) loses to cancellation about
# eps * mean(log S) / L of its relative accuracy; it is kept only while that ratio
# is below this limit (relative error below about 1e-11), else the rows are shifted.
_CANCELLATION_LIMIT = 1e4

# A step that raises the objective by less than this fraction of it is rounding in
# the loss, not a rising loss: converged descent jitters at that level.
_ROUNDING_RISE = 1e-10


class DivergenceWarning(UserWarning):
    """The training loss rose instead of falling: the learning rate is too large."""


class NonFiniteLossError(ReportedError, ArithmeticError):
    """The loss stopped being a finite number during training."""


class _BinaryCrossEntropy:
    """Mean binary cross-entropy of one fixed data set, and its gradient.

    For X of shape (m, n), y in {0, 1} of shape (m,) and parameters [w; b] of shape
    (n + 1,):

        L = mean(log(1 + exp(s z))),  z = [X 1] [w; b],  s = 1 - 2 y
        dL/d[w; b] = [X 1]^T (sigma(z) - y) / m

    log(1 + exp(s z)) is the cross-entropy -log sigma(-s z) of one sample, accurate
    even when it is far below 1e-16 and exact (0 or |z|) when |z| is huge.
    """

    def __init__(self, X, targets, gradient=True):
        self.n_samples = X.shape[0]
        self.features = _with_ones(X)
        targets = targets.astype(np.float64)
        self.target_sums = self.features.T @ targets
        self.signs = 1.0 - 2.0 * targets
        self.logits = np.empty(self.n_samples)
        self.margins = np.empty(self.n_samples)
        # Only the gradient needs sigma(z).
        self.probabilities = np.empty(self.n_samples) if gradient else None

    def cross_entropy(self, parameters, keep_probabilities=True):
        """L at ``parameters``; keeps sigma(z) for the gradient unless told not to."""
        np.matmul(self.features, parameters, out=self.logits)
        np.multiply(self.signs, self.logits, out=self.margins)
        loss = np.logaddexp(0.0, self.margins, out=self.margins).mean()
        if keep_probabilities:
            self.probabilities[:] = sigmoid(self.logits)
        return loss

    def cross_entropy_gradient(self, out):
        """dL/d[w; b] at the parameters of the last ``cross_entropy`` call, into out."""
        np.matmul(self.features.T, self.probabilities, out=out)
        np.subtract(out, self.target_sums, out=out)
        np.divide(out, self.n_samples, out=out)
        return out


class _SoftmaxCrossEntropy:
    """Mean multiclass cross-entropy of one fixed data set, and its gradient.

    For X of shape (m, n), class indices of shape (m,) and parameters [W; b] of
    shape (n + 1, K):

        L = mean_i(log S_i - z_{i, y_i}),  S_i = sum_k exp(z_ik),  Z = [X 1] [W; b]
        dL/d[W; b] = [X 1]^T (P - Y) / m,  P = exp(Z) / S row by row

    The logits are kept transposed, Z^T of shape (K, m), so that each sample's sum
    over classes runs along contiguous rows; the same buffer then holds exp(Z^T) and
    P^T, so the loss and P come from the same exponentials. [X 1] is stored once, in
    Fortran order: both products then run as fast as the plain X W and X^T E, and
    faster at many rows.

    exp() of the raw logits is used while it is safe and accurate: every S_i in
    [1, inf) (no overflow, no underflow) and mean(log S) / L below
    ``_CANCELLATION_LIMIT``. Otherwise, from then on, each sample's logits are
    shifted by their largest, so that S_i lies in [1, K] and every sample's loss is
    log S_i - (z_iy - max_k z_ik) >= 0, exact however large the logits.
    """

    def __init__(self, X, targets, n_classes):
        self.n_samples = X.shape[0]
        self.features = _with_ones(X, order="F")
        self.target_sums = self.features.T @ one_hot(targets, n_classes)
        self.probabilities = np.empty((n_classes, self.n_samples))
        # Where z_{i, y_i} sits in the flattened (K, m) buffer.
        self.target_positions = targets * self.n_samples + np.arange(self.n_samples)
        self.target_logits = np.empty(self.n_samples)
        self.normalizers = np.empty(self.n_samples)
        self.log_normalizers = np.empty(self.n_samples)
        self.shift_logits = False

    def cross_entropy(self, parameters, keep_probabilities=True):
        """L at ``parameters``; keeps P^T for the gradient unless told not to."""
        loss = None if self.shift_logits else self._unshifted_cross_entropy(parameters)
        if loss is None:
            self.shift_logits = True
            loss = self._shifted_cross_entropy(parameters)
        if keep_probabilities:
            np.reciprocal(self.normalizers, out=self.normalizers)
            np.multiply(self.probabilities, self.normalizers, out=self.probabilities)
        return loss

    def _unshifted_cross_entropy(self, parameters):
        """L from exp(Z) as it is, or None where that would be unsafe or inexact."""
        exponentials = self._logits(parameters)
        np.exp(exponentials, out=exponentials)
        log_normalizer_sum = self._log_normalizer_sum()
        # sum_i z_{i, y_i} without touching Z; its rounding is that of Z itself.
        target_logit_sum = np.vdot(parameters, self.target_sums)
        loss = (log_normalizer_sum - target_logit_sum) / self.n_samples
        # Checked on the result: one pass over m numbers, not two over m * K.
        # NaN fails every test.
        if (
            math.isfinite(loss)
            and log_normalizer_sum <= _CANCELLATION_LIMIT * self.n_samples * loss
            and np.minimum.reduce(self.normalizers) >= 1.0
        ):
            return loss
        return None

    def _shifted_cross_entropy(self, parameters):
        """L with each sample's logits shifted by their largest: exact at any size."""
        shifted = self._logits(parameters)
        np.take(shifted, self.target_positions, out=self.target_logits)
        largest = np.maximum.reduce(shifted, axis=0)
        np.subtract(shifted, largest, out=shifted)
        np.subtract(self.target_logits, largest, out=self.target_logits)
        np.exp(shifted, out=shifted)
        self._log_normalizer_sum()
        # Each term log S_i - (z_iy - max_k z_ik) is >= 0 and exact to rounding.
        losses = np.subtract(self.log_normalizers, self.target_logits)
        return np.add.reduce(losses) / self.n_samples

    def _logits(self, parameters):
        logits = self.probabilities
        np.matmul(self.features, parameters, out=logits.T)
        return logits

    def _log_normalizer_sum(self):
        np.add.reduce(self.probabilities, axis=0, out=self.normalizers)
        return np.add.reduce(np.log(self.normalizers, out=self.log_normalizers))

    def cross_entropy_gradient(self, out):
        """dL/d[W; b] at the parameters of the last ``cross_entropy`` call, into out."""
        np.matmul(self.features.T, self.probabilities.T, out=out)
        np.subtract(out, self.target_sums, out=out)
        np.divide(out, self.n_samples, out=out)
        return out


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
        sorted unique values of y. ``history_`` gets epochs + 1 rows: the train and
        test cross-entropy and the objective after 0, 1, ..., epochs steps.

        Raises NonFiniteLossError, naming the learning rate and the epoch, as soon
        as a loss stops being a finite number.
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
        train = self._cross_entropy_terms(X, self._encode(y, X.shape[0]))
        test = None
        if X_test is not None:
            X_test = _as_features(X_test, "X_test", self.n_features_in_)
            test = self._cross_entropy_terms(
                X_test, self._encode(y_test, X_test.shape[0]), gradient=False
            )
        # [W; b] has the shape of [X 1]^T Y.
        parameters = np.zeros(train.target_sums.shape)
        gradient = np.empty_like(parameters)
        # Filled in place, epoch by epoch; the table is built once at the end.
        train_losses = np.full(self.epochs + 1, np.nan)
        test_losses = np.full(self.epochs + 1, np.nan)
        objectives = np.full(self.epochs + 1, np.nan)
        # An overflow in the softmax's unshifted exp() is expected: it is detected
        # and recomputed. Any other non-finite value comes from parameters that
        # already blew up, and the loop stops on it with an error that says so.
        with np.errstate(all="ignore"):
            for epoch in range(self.epochs + 1):
                cross_entropy, objective = self._objective(train, parameters)
                self._check_finite(objective, "training loss", epoch)
                train_losses[epoch] = cross_entropy
                objectives[epoch] = objective
                if test is not None:
                    test_losses[epoch] = test.cross_entropy(parameters, False)
                    self._check_finite(test_losses[epoch], "test loss", epoch)
                if self.log_every and epoch % self.log_every == 0:
                    logger.info(
                        "epoch %5d  train cross-entropy %.6g  test cross-entropy %.6g",
                        epoch,
                        cross_entropy,
                        test_losses[epoch],
                    )
                if epoch == self.epochs:
                    break
                self._objective_gradient(train, parameters, gradient)
                np.multiply(gradient, self.learning_rate, out=gradient)
                np.subtract(parameters, gradient, out=parameters)
        self.weights_, self.bias_ = self._unstack(parameters)
        self.history_ = pd.DataFrame(
            {
                "epoch": np.arange(self.epochs + 1),
                "train_cross_entropy": train_losses,
                "test_cross_entropy": test_losses,
                "objective": objectives,
            }
        )
        self._check_divergence()
        return self

    def _objective(self, terms, parameters):
        """(mean cross-entropy, objective) with objective = L + 0.5 l2 ||W||^2."""
        cross_entropy = terms.cross_entropy(parameters)
        if not self.l2:
            return cross_entropy, cross_entropy
        weights = parameters[:-1]
        return cross_entropy, cross_entropy + 0.5 * self.l2 * np.vdot(weights, weights)

    def _objective_gradient(self, terms, parameters, out):
        """Gradient of the objective at the parameters last given to ``_objective``."""
        terms.cross_entropy_gradient(out)
        if self.l2:
            out[:-1] += self.l2 * parameters[:-1]
        return out

    def _check_finite(self, loss, name, epoch):
        if math.isfinite(loss):
            return
        penalty = ""
        if self.l2 and self.learning_rate * self.l2 > 2:
            penalty = (
                f" (with l2={self.l2}, any learning rate above 2 / l2 = "
                f"{2 / self.l2:g} makes the weights grow without bound)"
            )
        raise NonFiniteLossError(
            f"{name} is {loss} at epoch {epoch} of {self.epochs} with "
            f"learning_rate={self.learning_rate}{penalty}; lower the learning rate"
        )

    def _check_divergence(self):
        objective = self.history_["objective"].to_numpy()
        rises = np.diff(objective) > _ROUNDING_RISE * np.abs(objective[:-1])
        self.loss_increases_ = int(np.sum(rises))
        self.diverged_ = bool(objective[-1] > objective[0])
        if self.loss_increases_:
            message = (
                f"the training loss rose in {self.loss_increases_} of {self.epochs} "
                f"epochs with learning_rate={self.learning_rate} (overall it went "
                f"from {objective[0]:.6g} at the start to {objective[-1]:.6g} at the "
                "end); a smaller learning rate makes every step go downhill"
            )
            logger.warning(message)
            warnings.warn(message, DivergenceWarning, stacklevel=3)

    def objective(self, X, y):
        """Objective at the current parameters: mean cross-entropy + 0.5 l2 ||W||^2.

        X has shape (m, n) and y shape (m,) in the model's labels; returns a float.
        """
        terms = self._terms_for(X, y)
        with np.errstate(all="ignore"):
            return float(self._objective(terms, self._stack())[1])

    def objective_gradient(self, X, y):
        """Gradient of ``objective`` with respect to the weights and the bias.

        dJ/dW = X^T error / m + l2 W and dJ/db = mean(error), with error = dL/dZ;
        returns (dJ/dW, dJ/db), shaped like ``weights_`` and ``bias_``.
        """
        terms = self._terms_for(X, y)
        parameters = self._stack()
        with np.errstate(all="ignore"):
            self._objective(terms, parameters)
            gradient = self._objective_gradient(
                terms, parameters, np.empty_like(parameters)
            )
        return self._unstack(gradient)

    def _terms_for(self, X, y):
        X = _as_features(X, "X", self.n_features_in_)
        return self._cross_entropy_terms(X, self._encode(y, X.shape[0]))

    def _stack(self):
        weights = np.asarray(self.weights_, dtype=np.float64)
        bias = np.asarray(self.bias_, dtype=np.float64)
        return np.concatenate([weights, bias.reshape((1, *weights.shape[1:]))])

    def decision_function(self, X):
        """Logits X W + b: shape (m,) for two classes, (m, K) for softmax."""
        X = _as_features(X, "X", self.n_features_in_)
        return X @ self.weights_ + self.bias_

    def predict(self, X):
        """The most probable class of each row, in the original labels."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y):
        """Accuracy on (X, y); a label that is not one of ``classes_`` is an error."""
        X = _as_features(X, "X", self.n_features_in_)
        indices = self._encode(y, X.shape[0])
        return float(np.mean(np.argmax(self.predict_proba(X), axis=1) == indices))

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

    @staticmethod
    def _cross_entropy_terms(X, targets, gradient=True):
        return _BinaryCrossEntropy(X, targets, gradient)

    @staticmethod
    def _unstack(parameters):
        return parameters[:-1].copy(), float(parameters[-1])

    def predict_proba(self, X):
        """Shape (m, 2): column 1 is sigma(w^T x + b), column 0 its complement."""
        logits = self.decision_function(X)
        return np.column_stack([sigmoid(-logits), sigmoid(logits)])


class SoftmaxRegressionGD(_GradientDescentClassifier):
    """Softmax regression: p_k = exp(z_k) / sum_j exp(z_j), z = x^T W + b.

    Attributes after ``fit``: ``weights_`` (n, K), ``bias_`` (K,), ``classes_`` (K,),
    ``history_``, ``diverged_`` and ``loss_increases_``.
    """

    def _cross_entropy_terms(self, X, targets, gradient=True):
        return _SoftmaxCrossEntropy(X, targets, self.classes_.size)

    @staticmethod
    def _unstack(parameters):
        return parameters[:-1].copy(), parameters[-1].copy()

    def predict_proba(self, X):
        """Shape (m, K): the softmax of the logits, each row summing to 1."""
        return softmax(self.decision_function(X))


def _with_ones(X, order="C"):
    """[X 1]: the features with a final column of ones, which carries the bias."""
    features = np.empty((X.shape[0], X.shape[1] + 1), order=order)
    features[:, :-1] = X
    features[:, -1] = 1.0
    return features


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
    """Read a model written by ``save_model``; returns (model, feature_names).

    The arrays must agree with the model type: logistic weights (n,), a scalar
    bias and 2 classes; softmax weights (n, K), bias (K,) and K >= 2 classes;
    n feature names; sorted, unique classes; finite weights and bias; and
    hyperparameters that ``fit`` would accept. Anything else is a damaged file.
    """
    what = "trained model"
    arrays = read_npz(
        path,
        what,
        {
            "model_type": ("U", 0),
            "weights": ("f", None),
            "bias": ("f", None),
            "classes": ("iuU", 1),
            "feature_names": ("U", 1),
            "learning_rate": ("fiu", 0),
            "epochs": ("iu", 0),
            "l2": ("fiu", 0),
        },
    )
    model_type = str(arrays["model_type"])
    if model_type not in _MODEL_TYPES:
        raise damaged(path, f"unknown model type {model_type!r}", what)
    weights, bias, classes = arrays["weights"], arrays["bias"], arrays["classes"]
    binary = model_type == "logistic"
    if weights.ndim != (1 if binary else 2) or not weights.shape[0]:
        expected = "(n,)" if binary else "(n, K)"
        raise damaged(
            path,
            f"weights has shape {weights.shape}, not {expected} with n >= 1 as "
            f"{model_type} weights have",
            what,
        )
    n_features = weights.shape[0]
    n_classes = 2 if binary else weights.shape[1]
    shapes = {
        "bias": () if binary else (n_classes,),
        "classes": (n_classes,),
        "feature_names": (n_features,),
    }
    for name, shape in shapes.items():
        if arrays[name].shape != shape:
            raise damaged(
                path,
                f"{name} has shape {arrays[name].shape}, but {model_type} weights "
                f"of shape {weights.shape} make it {shape}",
                what,
            )
    # predict and score find labels by bisection: sorted, unique, two at least.
    if n_classes < 2 or not np.all(classes[1:] > classes[:-1]):
        raise damaged(
            path,
            f"classes {classes.tolist()} are not 2 or more sorted, unique labels",
            what,
        )
    if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(bias))):
        raise damaged(path, "the weights or the bias hold NaN or infinite values", what)
    model = make_model(
        model_type,
        learning_rate=arrays["learning_rate"].item(),
        epochs=arrays["epochs"].item(),
        l2=arrays["l2"].item(),
    )
    try:
        model._check_parameters()
    except ValueError as error:
        raise damaged(path, error, what) from error
    model.weights_ = weights
    model.bias_ = float(bias) if binary else bias
    model.classes_ = classes
    model.n_features_in_ = n_features
    return model, arrays["feature_names"]
