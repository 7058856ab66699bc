"""The benchmark's pieces, run small: its plain loop must be the library's loss."""

import importlib.util

import numpy as np
import pytest

from odds_to_softmax.data import load_bundled, split_and_standardize
from odds_to_softmax.models import SoftmaxRegressionGD

from conftest import REPO


@pytest.fixture(scope="module")
def benchmark():
    path = REPO / "benchmarks" / "training.py"
    spec = importlib.util.spec_from_file_location("training_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_straightforward_loop_gives_the_librarys_history(benchmark):
    split = split_and_standardize(load_bundled("load_digits"), 0.2, 42)
    X, y = split.X_train[:400], split.y_train[:400]
    W, b, losses = benchmark.straightforward_descent(X, y, 10, 0.1, 40)
    model = SoftmaxRegressionGD(learning_rate=0.1, epochs=40).fit(
        X, y, classes=range(10)
    )
    # Same steps, rounded in a different order: agreement to 1e-10.
    np.testing.assert_allclose(
        model.history_["train_cross_entropy"], losses, rtol=1e-10
    )
    np.testing.assert_allclose(model.weights_, W, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.bias_, b, rtol=0, atol=1e-10)


def test_synthetic_data_has_the_asked_shape_and_every_class(benchmark):
    X, y = benchmark.synthetic_split(500, 64, 10)
    assert X.shape == (500, 64)
    assert set(y.tolist()) == set(range(10))
