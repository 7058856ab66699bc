"""The from-scratch models against the essay's recipe, closed forms and labels."""

import math

import numpy as np
import pytest

from odds_to_softmax.models import (
    LogisticRegressionGD,
    SoftmaxRegressionGD,
    load_model,
    make_model,
    save_model,
)


def _reference_softmax_descent(X, y, n_classes, learning_rate, epochs):
    """The plain loop, written from the essay's equations with one-hot targets."""
    m, n = X.shape
    W, b = np.zeros((n, n_classes)), np.zeros(n_classes)
    Y = np.eye(n_classes)[y]
    losses = []
    for _ in range(epochs):
        scores = X @ W + b
        exp_scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        P = exp_scores / exp_scores.sum(axis=1, keepdims=True)
        losses.append(-np.mean(np.sum(Y * np.log(P), axis=1)))
        W -= learning_rate * X.T @ (P - Y) / m
        b -= learning_rate * (P - Y).mean(axis=0)
    return W, b, np.array(losses)


def _reference_logistic_descent(X, y, learning_rate, epochs):
    m, n = X.shape
    w, b = np.zeros(n), 0.0
    losses = []
    for _ in range(epochs):
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        losses.append(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        w -= learning_rate * X.T @ (p - y) / m
        b -= learning_rate * np.mean(p - y)
    return w, b, np.array(losses)


def test_softmax_follows_the_essays_loop(digits):
    model = SoftmaxRegressionGD(learning_rate=0.1, epochs=60).fit(
        digits.X_train, digits.y_train
    )
    W, b, losses = _reference_softmax_descent(
        digits.X_train, digits.y_train, 10, 0.1, 60
    )
    # Same arithmetic in a different order: agreement to rounding, 1e-10.
    np.testing.assert_allclose(model.weights_, W, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.bias_, b, rtol=0, atol=1e-10)
    history = model.history_["train_cross_entropy"].to_numpy()
    np.testing.assert_allclose(history[:-1], losses, rtol=1e-10)


def test_logistic_follows_the_essays_loop(breast_cancer):
    model = LogisticRegressionGD(learning_rate=0.1, epochs=60).fit(
        breast_cancer.X_train, breast_cancer.y_train
    )
    w, b, losses = _reference_logistic_descent(
        breast_cancer.X_train, breast_cancer.y_train, 0.1, 60
    )
    np.testing.assert_allclose(model.weights_, w, rtol=0, atol=1e-10)
    assert model.bias_ == pytest.approx(b, abs=1e-10)
    history = model.history_["train_cross_entropy"].to_numpy()
    np.testing.assert_allclose(history[:-1], losses, rtol=1e-10)


def test_loss_at_zero_weights_is_log_of_the_class_count(digits, breast_cancer):
    # At W = 0 every class has probability 1/K, so the loss is ln K exactly.
    softmax = SoftmaxRegressionGD(epochs=1).fit(digits.X_train, digits.y_train)
    logistic = LogisticRegressionGD(epochs=1).fit(
        breast_cancer.X_train, breast_cancer.y_train
    )
    assert softmax.history_["train_cross_entropy"][0] == pytest.approx(
        math.log(10), rel=1e-15
    )
    assert logistic.history_["train_cross_entropy"][0] == pytest.approx(
        math.log(2), rel=1e-15
    )


def test_history_has_one_row_per_step_count_and_test_losses(breast_cancer):
    model = LogisticRegressionGD(epochs=25).fit(
        breast_cancer.X_train,
        breast_cancer.y_train,
        breast_cancer.X_test,
        breast_cancer.y_test,
    )
    history = model.history_
    assert history["epoch"].tolist() == list(range(26))
    assert history["test_cross_entropy"].notna().all()
    assert not model.diverged_
    assert model.loss_increases_ == 0


def test_string_and_gappy_labels_are_kept_and_predicted():
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 4.0], [4.0, 0.0], [-4.0, -4.0]])
    labels = np.repeat([3, 7, 42], 30)
    X = centers[np.searchsorted([3, 7, 42], labels)] + rng.normal(size=(90, 2))
    model = SoftmaxRegressionGD(learning_rate=0.5, epochs=300).fit(X, labels)
    assert model.classes_.tolist() == [3, 7, 42]
    assert model.score(X, labels) == 1.0
    names = np.array(["cat", "dog", "emu"])[np.searchsorted([3, 7, 42], labels)]
    named = SoftmaxRegressionGD(learning_rate=0.5, epochs=300).fit(X, names)
    assert set(named.predict(X)) == {"cat", "dog", "emu"}
    np.testing.assert_allclose(named.weights_, model.weights_, rtol=1e-12)


def test_a_class_absent_from_training_keeps_its_output():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    y = rng.integers(0, 2, size=40)
    model = SoftmaxRegressionGD(epochs=20).fit(X, y, classes=[0, 1, 2])
    probabilities = model.predict_proba(X)
    assert probabilities.shape == (40, 3)
    # The unseen class is pushed down but remains a valid probability.
    assert np.all(probabilities[:, 2] < 1 / 3)


def test_an_unknown_label_is_a_clear_error():
    X = np.eye(4)
    model = SoftmaxRegressionGD(epochs=5).fit(X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"label 9 is not one of the model's classes"):
        model.fit(X, [0, 1, 2, 0], X, [0, 1, 9, 0], classes=[0, 1, 2])


def test_logistic_refuses_three_classes():
    with pytest.raises(ValueError, match="exactly two classes, got 3"):
        LogisticRegressionGD().fit(np.eye(3), [0, 1, 2])


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("learning_rate", 0), ("learning_rate", -0.1), ("epochs", 0), ("l2", -1.0)],
)
def test_bad_hyperparameters_name_themselves(parameter, value):
    model = SoftmaxRegressionGD(**{parameter: value})
    with pytest.raises(ValueError, match=rf"{parameter} must be .*got {value}"):
        model.fit(np.eye(3), [0, 1, 2])


def test_saved_model_predicts_the_same(tmp_path, digits):
    model = make_model("softmax", learning_rate=0.1, epochs=30).fit(
        digits.X_train, digits.y_train
    )
    save_model(tmp_path / "model.npz", model, digits.feature_names)
    loaded, features = load_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(
        loaded.predict_proba(digits.X_test), model.predict_proba(digits.X_test)
    )
    assert features.tolist() == digits.feature_names.tolist()


def test_given_classes_are_kept_in_order_and_predicted_by_name():
    rng = np.random.default_rng(2)
    centers = {"cat": [0.0, 4.0], "dog": [4.0, 0.0], "emu": [-4.0, -4.0]}
    names = np.repeat(list(centers), 20)
    X = np.array([centers[name] for name in names]) + rng.normal(size=(60, 2))
    # "yak" never occurs in training; the classes are given out of order.
    model = SoftmaxRegressionGD(learning_rate=0.5, epochs=200).fit(
        X, names, classes=["emu", "yak", "cat", "dog"]
    )
    assert model.classes_.tolist() == ["cat", "dog", "emu", "yak"]
    assert model.predict(X).tolist() == names.tolist()
    probabilities = model.predict_proba(X)
    assert probabilities.shape == (60, 4)
    # The absent class's bias gradient is mean(P(yak)) > 0 at every step, so its
    # share falls from the 1/4 it starts with.
    assert probabilities[:, 3].mean() < 0.25
    assert model.score(X, names) == 1.0


def test_binary_labels_need_not_be_zero_and_one():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    model = LogisticRegressionGD(learning_rate=1.0, epochs=100).fit(X, [-1, -1, 5, 5])
    assert model.classes_.tolist() == [-1, 5]
    assert model.predict(X).tolist() == [-1, -1, 5, 5]
    # Column 1 is P(classes_[1]) = P(5), which grows with x here.
    assert np.all(np.diff(model.predict_proba(X)[:, 1]) > 0)


@pytest.mark.parametrize("method", ["score", "objective", "objective_gradient"])
def test_a_label_the_model_never_saw_is_a_clear_error(method):
    X = np.eye(3)
    model = SoftmaxRegressionGD(epochs=5).fit(X, ["a", "b", "c"])
    with pytest.raises(ValueError, match=r"label 'z' is not one of the model's"):
        getattr(model, method)(X, ["a", "z", "c"])


def _read_only(array):
    array = np.array(array)
    array.flags.writeable = False
    return array


@pytest.mark.parametrize(
    ("model_type", "labels"), [("logistic", [0, 1]), ("softmax", [3, 7, 9])]
)
def test_fit_and_predict_leave_their_inputs_unchanged(model_type, labels):
    rng = np.random.default_rng(3)
    X, X_test = rng.normal(size=(30, 4)), rng.normal(size=(10, 4))
    y, y_test = rng.choice(labels, size=30), rng.choice(labels, size=10)
    # Read-only arrays make any write fail loudly; the copies prove the values.
    inputs = [_read_only(value) for value in (X, y, X_test, y_test, labels)]
    before = [value.copy() for value in inputs]
    model = make_model(model_type, learning_rate=0.1, epochs=20, l2=0.1)
    model.fit(*inputs[:4], classes=inputs[4])
    model.predict(inputs[2])
    model.predict_proba(inputs[2])
    model.decision_function(inputs[2])
    model.score(inputs[2], inputs[3])
    model.objective(inputs[0], inputs[1])
    model.objective_gradient(inputs[0], inputs[1])
    for value, original in zip(inputs, before, strict=True):
        np.testing.assert_array_equal(value, original)
