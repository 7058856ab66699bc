"""Train one configured model on a prepared split and measure it."""

import logging
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix

from odds_to_softmax.artifacts import damaged
from odds_to_softmax.data import load_split
from odds_to_softmax.models import (
    DivergenceWarning,
    LogisticRegressionGD,
    SoftmaxRegressionGD,
    load_model,
    make_model,
)

__all__ = [
    "confusion_counts",
    "library_versions",
    "load_model_and_split",
    "metrics_table",
    "train_bridge_pair",
    "train_configured_model",
]

logger = logging.getLogger(__name__)


def library_versions():
    """Versions of the libraries whose arithmetic or drawing shapes the results."""
    packages = ("numpy", "scikit-learn", "pandas", "matplotlib", "seaborn")
    return {package: version(package) for package in packages}


def train_configured_model(split, settings, log_every=0):
    """Fit the model that ``settings`` (one ``models`` entry) describes.

    Returns (model, split restricted to the model's features, metrics dict).
    """
    split = split.select(settings["features"])
    logger.info(
        "training %s on %d samples x %d features (%d classes): %s",
        settings["type"],
        split.X_train.shape[0],
        split.X_train.shape[1],
        split.classes.size,
        {key: settings[key] for key in sorted(settings)},
    )
    model = make_model(
        settings["type"],
        learning_rate=settings["learning_rate"],
        epochs=settings["epochs"],
        l2=settings["l2"],
        log_every=log_every,
    )
    with warnings.catch_warnings():
        # Divergence is already in the log and in the metrics' flag.
        warnings.simplefilter("ignore", DivergenceWarning)
        # A NonFiniteLossError ends the job; configure_logging's hook logs it.
        model.fit(
            split.X_train, split.y_train, split.X_test, split.y_test, split.classes
        )
    final = model.history_.iloc[-1]
    metrics = {
        "model_type": settings["type"],
        "settings": dict(settings),
        "split": {
            "seed": int(split.seed),
            "test_fraction": float(split.test_fraction),
        },
        "n_train": int(split.y_train.size),
        "n_test": int(split.y_test.size),
        "classes": [split.class_name(label) for label in model.classes_],
        "train_accuracy": float(
            accuracy_score(split.y_train, model.predict(split.X_train))
        ),
        "test_accuracy": float(
            accuracy_score(split.y_test, model.predict(split.X_test))
        ),
        "train_cross_entropy": float(final["train_cross_entropy"]),
        "test_cross_entropy": float(final["test_cross_entropy"]),
        "initial_cross_entropy": float(model.history_["train_cross_entropy"].iloc[0]),
        "diverged": model.diverged_,
        "epochs_with_rising_loss": model.loss_increases_,
        "versions": library_versions(),
    }
    logger.info(
        "train accuracy %.4f, test accuracy %.4f, test cross-entropy %.6g",
        metrics["train_accuracy"],
        metrics["test_accuracy"],
        metrics["test_cross_entropy"],
    )
    if not np.isfinite(metrics["test_cross_entropy"]):
        logger.warning("the test cross-entropy is not finite")
    return model, split, metrics


def load_model_and_split(model_path, split_path):
    """A trained model and the split it was trained on, restricted to its features.

    Each file is checked on its own as it is read; here they must also agree, as
    they do when one was trained on the other: the model's feature names are
    columns of the split and its classes are the split's. A model that disagrees
    is stale or damaged, and the error says so and names it.
    """
    model, features = load_model(model_path)
    split = load_split(split_path)
    unknown = [name for name in features.tolist() if name not in split.feature_names]
    if unknown:
        problem = f"its feature(s) {unknown} are not in {split_path}"
    elif not np.array_equal(model.classes_, split.classes):
        problem = (
            f"its classes {model.classes_.tolist()} are not those of {split_path}, "
            f"{split.classes.tolist()}"
        )
    else:
        return model, split.select(features.tolist())
    raise damaged(model_path, problem, "trained model")


def confusion_counts(model, split):
    """Test-set confusion matrix C of shape (K, K), in the order of ``model.classes_``.

    C[i, j] counts the test samples of true class i that the model predicts as
    class j: the diagonal holds the correct answers, row i sums to the number of
    test samples of class i.
    """
    predicted = model.predict(split.X_test)
    return confusion_matrix(split.y_test, predicted, labels=model.classes_)


def train_bridge_pair(split, learning_rate, epochs):
    """Softmax with two classes at ``learning_rate``, logistic regression at twice it.

    With K = 2 the softmax gradients of the two weight columns are opposite,
    X^T (p_1 - y_1) / m and -X^T (p_1 - y_1) / m, so from zero weights the logit
    difference z_1 - z_0 = x^T (W_1 - W_0) + (b_1 - b_0) takes steps of
    2 * learning_rate * X^T (p_1 - y_1) / m, and p_1 = sigma(z_1 - z_0): that is
    logistic regression at 2 * learning_rate. Both models see every feature of
    ``split`` and track its test loss; returns (softmax model, logistic model).
    """
    if split.classes.size != 2:
        raise ValueError(
            f"the bridge needs a two-class dataset, got {split.classes.size} classes"
        )
    arguments = (split.X_train, split.y_train, split.X_test, split.y_test)
    softmax_model = SoftmaxRegressionGD(learning_rate=learning_rate, epochs=epochs)
    logistic_model = LogisticRegressionGD(
        learning_rate=2 * learning_rate, epochs=epochs
    )
    with warnings.catch_warnings():
        # A rising loss is part of what the figure shows, not an error here.
        warnings.simplefilter("ignore", DivergenceWarning)
        softmax_model.fit(*arguments, classes=split.classes)
        logistic_model.fit(*arguments, classes=split.classes)
    difference = np.max(
        np.abs(
            softmax_model.predict_proba(split.X_test)[:, 1]
            - logistic_model.predict_proba(split.X_test)[:, 1]
        )
    )
    logger.info(
        "bridge on %d training samples: softmax at learning rate %g, logistic at "
        "%g, %d epochs; largest test probability difference %.3g",
        split.y_train.size,
        learning_rate,
        2 * learning_rate,
        epochs,
        difference,
    )
    return softmax_model, logistic_model


def metrics_table(metrics_by_model, decimals=4):
    """One row per trained model: its settings and its final metrics.

    ``metrics_by_model`` maps a model name to the dict that
    ``train_configured_model`` returned for it. Accuracies and cross-entropies are
    rounded to ``decimals`` places for reading; metrics.json keeps every digit.
    """
    rows = []
    for name, metrics in metrics_by_model.items():
        settings = metrics["settings"]
        features = settings["features"]
        rows.append(
            {
                "model": name,
                "type": metrics["model_type"],
                "dataset": settings["dataset"],
                "features": features
                if isinstance(features, str)
                else ", ".join(map(str, features)),
                "learning_rate": settings["learning_rate"],
                "epochs": settings["epochs"],
                "l2": settings["l2"],
                "train_accuracy": metrics["train_accuracy"],
                "test_accuracy": metrics["test_accuracy"],
                "train_cross_entropy": metrics["train_cross_entropy"],
                "test_cross_entropy": metrics["test_cross_entropy"],
                "diverged": metrics["diverged"],
            }
        )
    table = pd.DataFrame(rows)
    measured = [column for column in table if column.endswith(("accuracy", "entropy"))]
    table[measured] = table[measured].round(decimals)
    return table
