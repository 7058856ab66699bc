"""The figures beyond the essay and the measurements behind them."""

import math

import numpy as np
import pandas as pd
import pytest

from odds_to_softmax.figures import (
    apply_style,
    plot_bridge,
    plot_class_weights,
    plot_confusion_matrix,
    plot_learning_rate_sweep,
    plot_odds_and_log_odds,
)
from odds_to_softmax.models import SoftmaxRegressionGD
from odds_to_softmax.training import (
    confusion_counts,
    metrics_table,
    train_bridge_pair,
)


@pytest.fixture(scope="module", autouse=True)
def style():
    apply_style()


@pytest.fixture(scope="module")
def digits_model(digits):
    return SoftmaxRegressionGD(learning_rate=0.5, epochs=40).fit(
        digits.X_train, digits.y_train, classes=digits.classes
    )


def _marked_points(ax):
    """(x, y) of every single-point line of an axes: the marked probabilities."""
    return [
        (float(line.get_xdata()[0]), float(line.get_ydata()[0]))
        for line in ax.lines
        if len(line.get_xdata()) == 1
    ]


def test_odds_figure_marks_the_essays_examples():
    odds_ax, log_odds_ax = plot_odds_and_log_odds((0.2, 0.5, 0.8)).axes
    # The essay's worked values: odds 1/4, 1 and 4; their logs -log 4, 0, log 4.
    # 0.8 and 0.2 are not exact in binary: agreement to rounding, 1e-12.
    expected_odds = [(0.2, 0.25), (0.5, 1.0), (0.8, 4.0)]
    np.testing.assert_allclose(_marked_points(odds_ax), expected_odds, rtol=1e-12)
    expected_log_odds = [(0.2, -math.log(4)), (0.5, 0.0), (0.8, math.log(4))]
    np.testing.assert_allclose(
        _marked_points(log_odds_ax), expected_log_odds, rtol=1e-12, atol=1e-15
    )


def test_odds_figure_draws_the_closed_forms():
    odds_ax, log_odds_ax = plot_odds_and_log_odds().axes
    p, odds = odds_ax.lines[0].get_data()
    # Solving odds = p / (1 - p) for p gives p = odds / (1 + odds).
    np.testing.assert_allclose(odds / (1.0 + odds), p, rtol=1e-12)
    p, log_odds = log_odds_ax.lines[0].get_data()
    # And the sigmoid of the log-odds gives the probability back.
    np.testing.assert_allclose(1.0 / (1.0 + np.exp(-log_odds)), p, rtol=1e-12)
    assert odds_ax.get_ylim()[0] == 0.0
    assert np.all(odds > 0)


def test_confusion_counts_match_a_count_by_hand(digits, digits_model):
    counts = confusion_counts(digits_model, digits)
    predicted = digits_model.predict(digits.X_test)
    by_hand = np.zeros((10, 10), dtype=int)
    for true, guess in zip(digits.y_test.tolist(), predicted.tolist(), strict=True):
        by_hand[true, guess] += 1
    np.testing.assert_array_equal(counts, by_hand)
    # Each row holds every test sample of its class; the diagonal the correct ones.
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(digits.y_test))
    assert np.trace(counts) == np.sum(predicted == digits.y_test)


def test_confusion_figure_annotates_every_count_and_names_the_worst_mistake():
    counts = np.array([[5, 0, 1], [2, 7, 0], [0, 3, 9]])
    figure = plot_confusion_matrix(counts, ["a", "b", "c"], "title")
    ax = figure.axes[0]
    # seaborn writes each count at the centre of its cell, (column + 0.5, row + 0.5).
    annotated = {
        (int(text.get_position()[1]), int(text.get_position()[0])): int(text.get_text())
        for text in ax.texts
    }
    assert len(ax.texts) == counts.size
    assert annotated == {
        (row, column): int(counts[row, column])
        for row in range(3)
        for column in range(3)
    }
    assert ax.get_xlabel() == "predicted class"
    assert ax.get_ylabel() == "true class"
    assert "true c predicted b (3 times)" in ax.get_title()
    assert "21 of 27 test samples correct" in ax.get_title()


def test_weight_images_are_the_weight_columns_on_one_centred_scale(
    digits, digits_model
):
    figure = plot_class_weights(digits_model, digits)
    images = [image for ax in figure.axes for image in ax.images]
    assert len(images) == 10
    limit = np.abs(digits_model.weights_).max()
    for k, image in enumerate(images):
        np.testing.assert_array_equal(
            image.get_array(), digits_model.weights_[:, k].reshape(8, 8)
        )
        assert image.get_clim() == (-limit, limit)


def test_weight_images_need_whole_images(digits, digits_model):
    with pytest.raises(ValueError, match="do not form an image"):
        plot_class_weights(digits_model, digits.select(["pixel_0_0", "pixel_0_1"]))


def test_the_bridge_pair_is_softmax_at_alpha_and_logistic_at_two_alpha(breast_cancer):
    softmax_model, logistic_model = train_bridge_pair(breast_cancer, 0.05, 200)
    assert logistic_model.learning_rate == pytest.approx(0.1)
    # From zero weights the two softmax columns stay opposite, and their difference
    # is the logistic weight vector; only rounding separates them (1e-12).
    weights = softmax_model.weights_
    np.testing.assert_allclose(weights[:, 0], -weights[:, 1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        weights[:, 1] - weights[:, 0], logistic_model.weights_, rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        softmax_model.predict_proba(breast_cancer.X_test),
        logistic_model.predict_proba(breast_cancer.X_test),
        rtol=0,
        atol=1e-12,
    )
    np.testing.assert_allclose(
        softmax_model.history_["train_cross_entropy"],
        logistic_model.history_["train_cross_entropy"],
        rtol=1e-12,
    )


def test_the_bridge_refuses_more_than_two_classes(digits):
    with pytest.raises(ValueError, match="two-class"):
        train_bridge_pair(digits, 0.05, 5)


def test_bridge_figure_prints_the_largest_difference(breast_cancer):
    softmax_model, logistic_model = train_bridge_pair(breast_cancer, 0.05, 50)
    figure = plot_bridge(softmax_model, logistic_model, breast_cancer)
    loss_ax, scatter_ax = figure.axes
    texts = [text.get_text() for text in scatter_ax.texts]
    assert len(texts) == 1
    printed = float(texts[0].rsplit(":", 1)[1])
    assert 0 <= printed < 1e-12
    x, y = scatter_ax.collections[0].get_offsets().T
    np.testing.assert_allclose(
        x, logistic_model.predict_proba(breast_cancer.X_test)[:, 1]
    )
    np.testing.assert_allclose(
        y, softmax_model.predict_proba(breast_cancer.X_test)[:, 1]
    )
    assert len(loss_ax.lines) == 2


def test_sweep_figure_draws_each_rate_and_flags_a_rising_loss():
    falling = pd.DataFrame(
        {
            "epoch": [0, 1, 2],
            "train_cross_entropy": [2.3, 1.0, 0.5],
            "test_cross_entropy": [2.3, 1.1, 0.7],
        }
    )
    rising = falling.assign(train_cross_entropy=[2.3, 9.0, 0.4])
    figure = plot_learning_rate_sweep({0.1: falling, 50.0: rising}, "title")
    train_ax, test_ax = figure.axes
    # One curve per rate, plus the dotted loss at zero weights.
    assert len(train_ax.lines) == len(test_ax.lines) == 3
    np.testing.assert_array_equal(train_ax.lines[1].get_ydata(), [2.3, 9.0, 0.4])
    np.testing.assert_array_equal(test_ax.lines[0].get_ydata(), [2.3, 1.1, 0.7])
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert labels[:2] == [r"$\alpha$ = 0.1", r"$\alpha$ = 50 (loss rose in 1 epoch)"]
    assert train_ax.get_yscale() == "log"


def test_metrics_table_has_one_rounded_row_per_model():
    metrics = {
        "binary": {
            "model_type": "logistic",
            "settings": {
                "dataset": "breast_cancer",
                "features": ["mean radius", "mean texture"],
                "learning_rate": 0.1,
                "epochs": 10,
                "l2": 0.0,
            },
            "train_accuracy": 0.912345,
            "test_accuracy": 0.87654321,
            "train_cross_entropy": 0.25,
            "test_cross_entropy": 1 / 3,
            "diverged": False,
        }
    }
    table = metrics_table(metrics)
    assert table["model"].tolist() == ["binary"]
    assert table["features"].tolist() == ["mean radius, mean texture"]
    assert table["test_accuracy"].tolist() == [0.8765]
    assert table["test_cross_entropy"].tolist() == [0.3333]
    assert table["train_accuracy"].tolist() == [0.9123]
