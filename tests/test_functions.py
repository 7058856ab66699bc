"""The essay's equations against closed forms, scikit-learn and finite differences."""

import math

import numpy as np
import pytest
from sklearn.metrics import log_loss

from odds_to_softmax.functions import (
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    cross_entropy,
    cross_entropy_gradient,
    log_odds,
    log_softmax,
    odds,
    one_hot,
    sigmoid,
    softmax,
)

# Overflow, division by zero and NaN are what extreme logits must not produce;
# underflow of exp(-1000) to 0 is the exact answer in float64, not a failure.
NO_OVERFLOW = {"over": "raise", "divide": "raise", "invalid": "raise"}


def test_odds_of_the_essays_examples():
    # p = 0.5, 0.8, 0.2 give odds 1, 4 and 1/4 exactly (up to rounding of 0.8, 0.2).
    np.testing.assert_allclose(odds([0.5, 0.8, 0.2]), [1.0, 4.0, 0.25], rtol=1e-12)


def test_sigmoid_inverts_log_odds():
    p = np.linspace(0.01, 0.99, 99)
    np.testing.assert_allclose(sigmoid(log_odds(p)), p, rtol=1e-12)


@pytest.mark.parametrize("z", [-30.0, -2.5, -1e-3, 0.0, 0.7, 4.0, 30.0])
def test_sigmoid_matches_the_formula(z):
    # math.exp on moderate z is an independent, correctly rounded reference.
    assert sigmoid(z) == pytest.approx(1.0 / (1.0 + math.exp(-z)), rel=1e-14)


def test_sigmoid_at_extremes_is_exact_and_quiet():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        values = sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(values, [0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    "logits", [[1000.0, 1.0], [123.0, 456.0, 789.0], [-1000.0, -1000.0, 0.0]]
)
def test_softmax_rows_sum_to_one(logits):
    probabilities = softmax(np.array([logits]))
    assert np.all(probabilities >= 0)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-12)


def test_softmax_across_the_whole_float_range_is_exact_and_quiet():
    # The gap 1e308 - (-1e308) is past the largest float: the shifted logit is
    # -inf, and P = (0, 1) exactly, as the true value e^(-2e308) rounds to 0.
    logits = np.array([[-1e308, 1e308]])
    with np.errstate(**NO_OVERFLOW):
        assert softmax(logits).tolist() == [[0.0, 1.0]]
        assert cross_entropy([1], logits) == 0.0
        assert cross_entropy_gradient([1], logits).tolist() == [[0.0, 0.0]]


def test_softmax_matches_the_formula_and_is_shift_invariant():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(5, 4))
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(softmax(logits), expected, rtol=1e-13)
    np.testing.assert_allclose(softmax(logits + 50.0), expected, rtol=1e-12)
    np.testing.assert_allclose(np.exp(log_softmax(logits)), expected, rtol=1e-13)


def test_two_class_softmax_is_the_sigmoid_of_the_score_difference():
    rng = np.random.default_rng(1)
    logits = rng.normal(scale=3.0, size=(20, 2))
    np.testing.assert_allclose(
        softmax(logits)[:, 1], sigmoid(logits[:, 1] - logits[:, 0]), rtol=1e-12
    )


def test_binary_cross_entropy_matches_scikit_learn():
    rng = np.random.default_rng(2)
    logits = rng.normal(scale=2.0, size=50)
    y = rng.integers(0, 2, size=50)
    # log_loss clips at machine epsilon only; these probabilities are far from it.
    expected = log_loss(y, sigmoid(logits), labels=[0, 1])
    assert binary_cross_entropy(y, logits) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("label", "logit", "loss", "gradient"),
    [
        (1, 1000.0, 0.0, 0.0),
        (0, 1000.0, 1000.0, 1.0),
        (1, -1000.0, 1000.0, -1.0),
        (0, -1000.0, 0.0, 0.0),
    ],
)
def test_binary_cross_entropy_at_extreme_logits_is_exact(label, logit, loss, gradient):
    # log(1 + e^1000) is 1000 + log1p(e^-1000) = 1000 exactly in float64, and
    # sigma(+-1000) is exactly 1 or 0, so sigma(z) - y is exactly 0 or +-1.
    with np.errstate(**NO_OVERFLOW):
        assert binary_cross_entropy([label], [logit]) == loss
        assert binary_cross_entropy_gradient([label], [logit]).tolist() == [gradient]


@pytest.mark.parametrize(
    ("label", "loss", "gradient"),
    [(0, 0.0, [0.0, 0.0]), (1, 1000.0, [1.0, -1.0])],
)
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_cross_entropy_at_extreme_logits_is_exact(label, loss, gradient, sign):
    # Logits (1000, 0), or (0, -1000) after a shift: P = (1, e^-1000) = (1, 0)
    # exactly, so the loss is 0 for class 0 and 1000 for class 1, and P - Y is
    # exactly (0, 0) or (1, -1).
    logits = np.array([[1000.0, 0.0]]) if sign > 0 else np.array([[0.0, -1000.0]])
    with np.errstate(**NO_OVERFLOW):
        assert cross_entropy([label], logits) == loss
        assert cross_entropy_gradient([label], logits).tolist() == [gradient]
        assert softmax(logits).tolist() == [[1.0, 0.0]]


def test_cross_entropy_matches_scikit_learn():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(40, 5))
    y = rng.integers(0, 5, size=40)
    expected = log_loss(y, softmax(logits), labels=range(5))
    assert cross_entropy(y, logits) == pytest.approx(expected, rel=1e-12)


def _central_difference(loss, x, step=1e-6):
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[index] += step
        upper = loss(shifted)
        shifted[index] -= 2 * step
        gradient[index] = (upper - loss(shifted)) / (2 * step)
    return gradient


def test_binary_gradient_matches_finite_differences():
    rng = np.random.default_rng(4)
    logits = rng.normal(size=12)
    y = rng.integers(0, 2, size=12).astype(float)
    numeric = _central_difference(lambda z: binary_cross_entropy(y, z) * z.size, logits)
    # Central differences with step 1e-6 are accurate to about 1e-9 here.
    np.testing.assert_allclose(
        binary_cross_entropy_gradient(y, logits), numeric, rtol=1e-7, atol=1e-9
    )


def test_multiclass_gradient_matches_finite_differences():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(6, 4))
    y = rng.integers(0, 4, size=6)
    numeric = _central_difference(lambda z: cross_entropy(y, z) * z.shape[0], logits)
    np.testing.assert_allclose(
        cross_entropy_gradient(y, logits), numeric, rtol=1e-7, atol=1e-9
    )


def _read_only(values):
    array = np.array(values)
    array.flags.writeable = False
    return array


@pytest.mark.parametrize(
    ("function", "arguments"),
    [
        (odds, ([0.2, 0.5, 0.8],)),
        (log_odds, ([0.2, 0.5, 0.8],)),
        (sigmoid, ([[1.0, -2.0, 3.0], [0.5, 0.5, -7.0]],)),
        (log_softmax, ([[1.0, -2.0, 3.0], [0.5, 0.5, -7.0]],)),
        (softmax, ([[1.0, -2.0, 3.0], [0.5, 0.5, -7.0]],)),
        (one_hot, ([0, 2, 1], 3)),
        (binary_cross_entropy, ([0, 1, 1], [0.3, -2.0, 800.0])),
        (binary_cross_entropy_gradient, ([0, 1, 1], [0.3, -2.0, 800.0])),
        (cross_entropy, ([0, 2], [[1.0, -2.0, 3.0], [0.5, 0.5, -7.0]])),
        (cross_entropy_gradient, ([0, 2], [[1.0, -2.0, 3.0], [0.5, 0.5, -7.0]])),
    ],
)
def test_functions_leave_their_inputs_unchanged(function, arguments):
    # Read-only inputs make any write fail loudly; the copies prove the values.
    inputs = [_read_only(value) for value in arguments]
    before = [value.copy() for value in inputs]
    function(*inputs)
    for value, original in zip(inputs, before, strict=True):
        np.testing.assert_array_equal(value, original)
