"""Train one configured model on a prepared split and measure it."""

import logging
import warnings
from importlib.metadata import version

import numpy as np
from sklearn.metrics import accuracy_score

from odds_to_softmax.models import DivergenceWarning, make_model

__all__ = ["library_versions", "train_configured_model"]

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
        "train accuracy %.4f, test accuracy %.4f, test cross-entropy %.6f",
        metrics["train_accuracy"],
        metrics["test_accuracy"],
        metrics["test_cross_entropy"],
    )
    if not np.isfinite(metrics["test_cross_entropy"]):
        logger.warning("the test cross-entropy is not finite")
    return model, split, metrics
