"""The essay's equations, one function each, computed from logits.

Every function here works on raw scores (logits) rather than on probabilities that
were clipped away from 0 and 1, so a logit of 1000 gives the exact loss 1000 instead
of an overflow warning or ``-log(1e-12)``. No function changes the arrays it is given.
"""

import numpy as np

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_gradient",
    "cross_entropy",
    "cross_entropy_gradient",
    "log_odds",
    "log_softmax",
    "odds",
    "one_hot",
    "sigmoid",
    "softmax",
]


def odds(p):
    """Odds of a probability: p / (1 - p), on (0, inf) for p in (0, 1)."""
    p = np.asarray(p, dtype=np.float64)
    return p / (1.0 - p)


def log_odds(p):
    """Log-odds (logit) of a probability: log(p / (1 - p)), on the whole real line."""
    p = np.asarray(p, dtype=np.float64)
    return np.log(p) - np.log1p(-p)


def sigmoid(z):
    """Logistic sigmoid: sigma(z) = 1 / (1 + exp(-z)), the inverse of ``log_odds``.

    Written with exp(-|z|), which never exceeds 1, so no input overflows.
    """
    z = np.asarray(z, dtype=np.float64)
    decay = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + decay), decay / (1.0 + decay))


def _shifted(logits):
    """Logits minus their row maximum: softmax is unchanged and exp() stays <= 1.

    A gap wider than the largest float (1e308 against -1e308) overflows to -inf,
    whose exp() is the exact 0 that such a gap means, so that overflow is silenced.
    """
    logits = np.asarray(logits, dtype=np.float64)
    with np.errstate(over="ignore"):
        return logits - logits.max(axis=-1, keepdims=True)


def log_softmax(logits):
    """Row-wise log-softmax: z_k - log(sum_j exp(z_j)) for logits of shape (m, K)."""
    shifted = _shifted(logits)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(logits):
    """Row-wise softmax: p_k = exp(z_k) / sum_j exp(z_j) for logits of shape (m, K).

    Each row of the result is positive and sums to 1.
    """
    weights = np.exp(_shifted(logits))
    return weights / weights.sum(axis=-1, keepdims=True)


def one_hot(indices, n_classes):
    """One-hot matrix Y of shape (m, K) with Y[i, indices[i]] = 1."""
    indices = np.asarray(indices)
    return np.eye(n_classes)[indices]


def binary_cross_entropy(y, logits, *, mean=True):
    """Binary cross-entropy of labels y in {0, 1} given logits z, shape (m,).

    L = mean(log(1 + exp(z)) - y * z), which equals
    -mean(y log sigma(z) + (1 - y) log(1 - sigma(z))) without forming sigma(z).
    With ``mean=False`` the per-sample losses are returned instead.
    """
    y = np.asarray(y, dtype=np.float64)
    logits = np.asarray(logits, dtype=np.float64)
    losses = np.logaddexp(0.0, logits) - y * logits
    return float(np.mean(losses)) if mean else losses


def binary_cross_entropy_gradient(y, logits):
    """Gradient of the summed binary cross-entropy with respect to each logit.

    dL_i / dz_i = sigma(z_i) - y_i, shape (m,); divide by m for the mean loss.
    """
    y = np.asarray(y, dtype=np.float64)
    return sigmoid(logits) - y


def cross_entropy(indices, logits):
    """Mean multiclass cross-entropy of class indices given logits of shape (m, K).

    L = -mean_i log p_{i, y_i} = mean_i (logsumexp(z_i) - z_{i, y_i}).
    """
    indices = np.asarray(indices)
    log_probabilities = log_softmax(logits)
    rows = np.arange(log_probabilities.shape[0])
    return float(-np.mean(log_probabilities[rows, indices]))


def cross_entropy_gradient(indices, logits):
    """Gradient of the summed multiclass cross-entropy w.r.t. the logits: P - Y.

    Shape (m, K); divide by m for the mean loss.
    """
    probabilities = softmax(logits)
    return probabilities - one_hot(indices, probabilities.shape[-1])
