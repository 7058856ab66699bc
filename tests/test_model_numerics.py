"""The models' arithmetic against finite differences, scikit-learn and closed forms."""

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from odds_to_softmax.functions import cross_entropy, cross_entropy_gradient
from odds_to_softmax.models import (
    DivergenceWarning,
    LogisticRegressionGD,
    NonFiniteLossError,
    SoftmaxRegressionGD,
)


def _random_problem(model_type, seed):
    """A small problem and a model set to random weights: 9 samples, 4 features."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(9, 4))
    if model_type == "softmax":
        y = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2])
        model = SoftmaxRegressionGD(epochs=1).fit(X, y)
        model.weights_ = rng.normal(size=(4, 3))
        model.bias_ = rng.normal(size=3)
    else:
        y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 1])
        model = LogisticRegressionGD(epochs=1).fit(X, y)
        model.weights_ = rng.normal(size=4)
        model.bias_ = float(rng.normal())
    return X, y, model


def _central_difference(objective, values, step=1e-5):
    """d objective / d values, one coordinate at a time: (f(v + h) - f(v - h)) / 2h."""
    values = np.array(values, dtype=np.float64)
    gradient = np.zeros_like(values)
    for index in np.ndindex(values.shape):
        original = values[index]
        values[index] = original + step
        upper = objective(values)
        values[index] = original - step
        lower = objective(values)
        values[index] = original
        gradient[index] = (upper - lower) / (2 * step)
    return gradient


def _relative_error(analytic, numeric):
    return np.linalg.norm(analytic - numeric) / np.linalg.norm(numeric)


@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("model_type", ["logistic", "softmax"])
def test_objective_gradient_matches_central_differences(model_type, l2):
    X, y, model = _random_problem(model_type, seed=7)
    model.l2 = l2
    weights, bias = np.copy(model.weights_), np.copy(model.bias_)
    analytic_weights, analytic_bias = model.objective_gradient(X, y)

    def objective_of_weights(values):
        model.weights_, model.bias_ = values, bias
        return model.objective(X, y)

    def objective_of_bias(values):
        model.weights_, model.bias_ = weights, values
        return model.objective(X, y)

    numeric_weights = _central_difference(objective_of_weights, weights)
    numeric_bias = _central_difference(objective_of_bias, bias)
    # With h = 1e-5 the difference's truncation error is ~h^2 = 1e-10 and its
    # rounding error ~1e-16 / h = 1e-11, both far below 1e-7 of a gradient ~0.1.
    assert _relative_error(analytic_weights, numeric_weights) <= 1e-7
    assert _relative_error(np.ravel(analytic_bias), np.ravel(numeric_bias)) <= 1e-7


@pytest.mark.parametrize("model_type", ["logistic", "softmax"])
def test_objective_is_mean_cross_entropy_plus_half_l2_norm(model_type):
    X, y, model = _random_problem(model_type, seed=8)
    model.l2 = 0.3
    # scikit-learn's log_loss of the model's probabilities, plus the penalty
    # written out; these probabilities are far from log_loss's clipping.
    expected = log_loss(y, model.predict_proba(X)) + 0.5 * 0.3 * np.sum(
        np.square(model.weights_)
    )
    assert model.objective(X, y) == pytest.approx(expected, rel=1e-12)


def test_l2_binary_optimum_matches_scikit_learn(breast_cancer):
    split, l2 = breast_cancer, 0.01
    model = LogisticRegressionGD(learning_rate=1.0, epochs=2000, l2=l2).fit(
        split.X_train, split.y_train
    )
    # scikit-learn minimizes C * sum(loss) + 0.5 ||w||^2, which is m * C times
    # mean(loss) + 0.5 * l2 * ||w||^2 when C = 1 / (l2 * m); lbfgs leaves the
    # intercept unpenalized, as the model does.
    reference = LogisticRegression(
        C=1 / (l2 * split.y_train.size), tol=1e-12, max_iter=10_000
    ).fit(split.X_train, split.y_train)
    # Gradient descent is converged to ~1e-12 in the gradient here, so the
    # probabilities agree far inside 1e-4.
    np.testing.assert_allclose(
        model.predict_proba(split.X_test),
        reference.predict_proba(split.X_test),
        rtol=0,
        atol=1e-4,
    )


def test_l2_softmax_optimum_matches_scikit_learn_multinomial(digits):
    split, l2 = digits, 0.02
    model = SoftmaxRegressionGD(learning_rate=2.0, epochs=2000, l2=l2).fit(
        split.X_train, split.y_train
    )
    reference = LogisticRegression(
        C=1 / (l2 * split.y_train.size), tol=1e-12, max_iter=10_000
    ).fit(split.X_train, split.y_train)
    np.testing.assert_allclose(
        model.predict_proba(split.X_test),
        reference.predict_proba(split.X_test),
        rtol=0,
        atol=1e-4,
    )
    # Weights are only defined up to a constant per feature across classes;
    # centred across classes both are the unique penalized optimum.
    np.testing.assert_allclose(
        model.weights_ - model.weights_.mean(axis=1, keepdims=True),
        (reference.coef_ - reference.coef_.mean(axis=0)).T,
        rtol=0,
        atol=1e-3,
    )


def test_two_class_softmax_is_logistic_regression_at_twice_the_rate(breast_cancer):
    # With two classes the softmax gradients of the two columns are equal and
    # opposite, so w_1 - w_0 moves by twice the logistic step at every epoch.
    X, y, X_test = breast_cancer.X_train, breast_cancer.y_train, breast_cancer.X_test
    for epochs in range(1, 16):
        softmax = SoftmaxRegressionGD(learning_rate=0.05, epochs=epochs).fit(X, y)
        logistic = LogisticRegressionGD(learning_rate=0.1, epochs=epochs).fit(X, y)
        # Same numbers by two roundings: agreement to 1e-10.
        np.testing.assert_allclose(
            softmax.predict_proba(X_test),
            logistic.predict_proba(X_test),
            rtol=0,
            atol=1e-10,
        )
    softmax = SoftmaxRegressionGD(learning_rate=0.05, epochs=300).fit(X, y)
    logistic = LogisticRegressionGD(learning_rate=0.1, epochs=300).fit(X, y)
    np.testing.assert_allclose(
        softmax.history_["train_cross_entropy"],
        logistic.history_["train_cross_entropy"],
        rtol=1e-10,
    )


@pytest.mark.parametrize(
    ("label", "loss", "gradient"), [(0, 0.0, [0.0, 0.0]), (1, 1000.0, [1.0, -1.0])]
)
def test_models_give_exact_losses_and_gradients_at_extreme_logits(
    label, loss, gradient
):
    # One sample x = 1 with softmax logits (1000, 0), and the binary logit
    # z = 0 - 1000 that gives the same P(class 1): P is exactly (1, 0).
    X, y = np.array([[1.0]]), np.array([label])
    softmax = SoftmaxRegressionGD(epochs=1).fit(X, y, classes=[0, 1])
    softmax.weights_, softmax.bias_ = np.array([[1000.0, 0.0]]), np.zeros(2)
    logistic = LogisticRegressionGD(epochs=1).fit(X, y, classes=[0, 1])
    logistic.weights_, logistic.bias_ = np.array([-1000.0]), 0.0
    assert softmax.objective(X, y) == loss
    assert logistic.objective(X, y) == loss
    weights_gradient, bias_gradient = softmax.objective_gradient(X, y)
    assert weights_gradient.tolist() == [gradient]
    assert bias_gradient.tolist() == gradient
    weights_gradient, bias_gradient = logistic.objective_gradient(X, y)
    assert weights_gradient.tolist() == [gradient[1]]
    assert bias_gradient == gradient[1]


def _one_sample_softmax(logits, label):
    """A softmax model whose only sample, x = 1, gets exactly these logits."""
    X, y = np.array([[1.0]]), np.array([label])
    model = SoftmaxRegressionGD(epochs=1).fit(X, y, classes=range(len(logits)))
    model.weights_, model.bias_ = np.array([logits]), np.zeros(len(logits))
    return model, X, y


def test_a_tiny_loss_beside_large_logits_keeps_its_digits():
    # Logits (500, 477): the loss is log(1 + e^-23) = 1.026e-10. Taken as
    # log(e^500 + e^477) - 500 it would keep only 3 digits (500 * eps = 1e-13);
    # shifted, 1 + e^-23 rounds to eps, a relative error of about 2e-6.
    model, X, y = _one_sample_softmax([500.0, 477.0], 0)
    expected = math.log1p(math.exp(-23))
    assert model.objective(X, y) == pytest.approx(expected, rel=1e-5, abs=0)


def test_logits_far_below_zero_keep_their_digits():
    # Logits (-740, -741): e^-740 is a subnormal number with a few bits left, but
    # the loss is log(1 + e^-1) whatever the common offset of the logits.
    model, X, y = _one_sample_softmax([-740.0, -741.0], 0)
    assert model.objective(X, y) == pytest.approx(math.log1p(math.exp(-1)), rel=1e-14)


# The first big step overshoots once; the arithmetic is what is checked here.
@pytest.mark.filterwarnings("ignore::odds_to_softmax.models.DivergenceWarning")
def test_training_past_exp_overflow_follows_the_shifted_formula(digits):
    # Raw pixel scale times a large rate drives the logits past 710, where
    # exp() overflows; the reference loop uses the shifted log-softmax throughout.
    X, y = digits.X_train[:300] * 100, digits.y_train[:300]
    model = SoftmaxRegressionGD(learning_rate=1.0, epochs=8).fit(X, y)
    assert np.abs(model.decision_function(X)).max() > 710
    W, b = np.zeros((64, 10)), np.zeros(10)
    losses = []
    for _ in range(9):
        logits = X @ W + b
        losses.append(cross_entropy(y, logits))
        error = cross_entropy_gradient(y, logits) / y.size
        W, b = W - X.T @ error, b - error.sum(axis=0)
    # Every loss is finite and >= 0; both sides round differently: 1e-10.
    history = model.history_["train_cross_entropy"].to_numpy()
    assert np.all(np.isfinite(history))
    assert np.all(history >= 0)
    np.testing.assert_allclose(history, losses, rtol=1e-10, atol=1e-300)


def test_an_enormous_rate_without_penalty_stays_finite(digits):
    # The gradient of the cross-entropy is bounded (|P - Y| <= 1), so without a
    # penalty the weights grow at most linearly: even a rate of 1e6 keeps every
    # loss finite and >= 0 (the training split is separable, so it reaches 0).
    with pytest.warns(DivergenceWarning):
        model = SoftmaxRegressionGD(learning_rate=1e6, epochs=50).fit(
            digits.X_train, digits.y_train, digits.X_test, digits.y_test
        )
    history = model.history_[["train_cross_entropy", "test_cross_entropy"]]
    assert np.all(np.isfinite(history.to_numpy()))
    assert (history.to_numpy() >= 0).all()


def test_a_too_large_rate_is_flagged_but_still_trains(breast_cancer):
    # The binary loss's curvature reaches ~3 here, so steps of 1000 overshoot.
    with pytest.warns(DivergenceWarning, match=r"learning_rate=1000"):
        model = LogisticRegressionGD(learning_rate=1000.0, epochs=100).fit(
            breast_cancer.X_train, breast_cancer.y_train
        )
    objective = model.history_["objective"].to_numpy()
    assert model.loss_increases_ == np.sum(np.diff(objective) > 0) > 0
    assert model.diverged_ == (objective[-1] > objective[0])
    assert np.all(np.isfinite(objective))


def test_a_rate_that_overflows_the_weights_is_a_clear_error(digits):
    # One step of 1e308 times a gradient entry ~0.1 is finite, but the next
    # logits sum 64 such products: inf, and inf - inf is NaN.
    model = SoftmaxRegressionGD(learning_rate=1e308, epochs=10)
    with pytest.raises(
        NonFiniteLossError, match=r"at epoch 1 of 10 with learning_rate=1e\+308"
    ):
        model.fit(digits.X_train, digits.y_train)


def test_a_penalty_too_strong_for_the_rate_is_a_clear_error(breast_cancer):
    # With l2 * learning_rate = 10 the penalty alone multiplies w by 1 - 10 = -9
    # per step, so |w| grows like 9^t and the penalty 0.5 ||w||^2 like 81^t: it
    # passes the largest float after about ln(1.8e308) / ln(81) = 161.5 epochs
    # (give or take a few for the starting size of w).
    model = LogisticRegressionGD(learning_rate=10.0, epochs=1000, l2=1.0)
    with pytest.raises(NonFiniteLossError) as raised:
        model.fit(breast_cancer.X_train, breast_cancer.y_train)
    message = str(raised.value)
    epoch = int(message.split(" at epoch ")[1].split()[0])
    assert epoch == pytest.approx(math.log(np.finfo(float).max) / math.log(81), abs=5)
    assert "learning_rate=10.0" in message
    assert "2 / l2 = 2" in message


@pytest.mark.parametrize("model_type", ["logistic", "softmax"])
def test_recorded_losses_are_those_of_the_final_model(
    model_type, digits, breast_cancer
):
    split = digits if model_type == "softmax" else breast_cancer
    model_class = (
        SoftmaxRegressionGD if model_type == "softmax" else LogisticRegressionGD
    )
    model = model_class(learning_rate=0.1, epochs=200).fit(
        split.X_train, split.y_train, split.X_test, split.y_test
    )
    final = model.history_.iloc[-1]
    # scikit-learn's log_loss of the fitted model's probabilities, both splits;
    # they are far from its clipping, and the two routes round differently.
    for X, y, column in [
        (split.X_train, split.y_train, "train_cross_entropy"),
        (split.X_test, split.y_test, "test_cross_entropy"),
    ]:
        expected = log_loss(y, model.predict_proba(X), labels=model.classes_)
        assert final[column] == pytest.approx(expected, rel=1e-12)
