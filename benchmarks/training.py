"""How fast the softmax model trains, against the floor and a straightforward loop.

Run from the repository's folder:

    python benchmarks/training.py

It prints a short table and writes ``results/benchmark/training.json``. Every number
is a median over interleaved repeats (floor, library, straightforward loop, one after
the other in each repeat), because a shared machine's speed drifts within seconds.

- floor: the two matrix products every full-batch gradient step needs, Z = X W
  (m, n) @ (n, K) and G = X^T E (n, m) @ (m, K), in float64, timed alone;
- library: ``SoftmaxRegressionGD.fit``, the pipeline's real training, with and
  without the test-set loss it records every epoch;
- straightforward: the loop written from the equations (logits, max-shifted
  softmax, P - Y with one-hot Y, the two products, the loss from the clipped
  probabilities), checked to give the library's loss history.

Then the time per epoch on synthetic data of 1 000, 10 000 and 100 000 rows (64
features, 10 classes), beside the floor and beside the same products in the fit's
own memory layout, and tracemalloc's peak while fitting for 100 and 1000 epochs.
BLAS runs on ``--threads`` threads (1, as in the pipeline's training rule).
"""

import argparse
import gc
import json
import os
import platform
import statistics
import time
import tracemalloc
from importlib.metadata import version
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from odds_to_softmax.data import load_bundled, split_and_standardize
from odds_to_softmax.models import SoftmaxRegressionGD

OUTPUT = Path(__file__).resolve().parents[1] / "results" / "benchmark" / "training.json"

# The pipeline's defaults for the softmax model (config/config.yaml).
SEED, TEST_FRACTION, LEARNING_RATE, EPOCHS = 42, 0.2, 0.1, 3000

# Probabilities are clipped before the log as the usual loop does; far below any
# probability of the true class on Digits, so the losses still agree.
CLIP = 1e-15


def floor_products(X, n_classes, epochs):
    """The matrix products alone: epochs + 1 of X W and epochs of X^T E.

    The outputs are preallocated: as fast as NumPy runs these two products.
    """
    m, n = X.shape
    weights = np.zeros((n, n_classes))
    error = np.zeros((m, n_classes))
    logits = np.empty((m, n_classes))
    gradient = np.empty((n, n_classes))
    np.matmul(X, weights, out=logits)
    for _ in range(epochs):
        np.matmul(X.T, error, out=gradient)
        np.matmul(X, weights, out=logits)


def fit_layout(X):
    """[X 1] in Fortran order, as ``fit`` keeps its features."""
    return np.asfortranarray(np.column_stack([X, np.ones(X.shape[0])]))


def products_in_fit_layout(features, n_classes, epochs):
    """The same products as ``floor_products``, laid out as ``fit`` lays them out.

    ``features`` is ``fit_layout(X)``, the logits are Z^T of shape (K, m): at many
    rows this layout makes BLAS faster than the plain C-order X W and X^T E.
    """
    m, n_plus_1 = features.shape
    parameters = np.zeros((n_plus_1, n_classes))
    logits = np.empty((n_classes, m))
    gradient = np.empty((n_plus_1, n_classes))
    np.matmul(features, parameters, out=logits.T)
    for _ in range(epochs):
        np.matmul(features.T, logits.T, out=gradient)
        np.matmul(features, parameters, out=logits.T)


def straightforward_descent(X, y, n_classes, learning_rate, epochs):
    """Softmax regression by the plain loop; returns (W, b, losses after 0..epochs).

    Per epoch: Z = X W + b, P = exp(Z - max Z) / sum exp(Z - max Z) row by row,
    loss = -mean sum Y log(clip(P)), W -= a X^T (P - Y) / m, b -= a mean(P - Y).
    """
    m, n = X.shape
    W = np.zeros((n, n_classes))
    b = np.zeros(n_classes)
    Y = np.eye(n_classes)[y]
    losses = np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        Z = X @ W + b
        exp_Z = np.exp(Z - Z.max(axis=1, keepdims=True))
        P = exp_Z / exp_Z.sum(axis=1, keepdims=True)
        losses[epoch] = -np.mean(np.sum(Y * np.log(np.clip(P, CLIP, 1.0)), axis=1))
        if epoch == epochs:
            break
        error = P - Y
        W -= learning_rate * (X.T @ error) / m
        b -= learning_rate * error.mean(axis=0)
    return W, b, losses


def library_fit(split, epochs, track_test):
    """``SoftmaxRegressionGD`` fitted as the pipeline does, test loss or not."""
    model = SoftmaxRegressionGD(learning_rate=LEARNING_RATE, epochs=epochs)
    test = (split.X_test, split.y_test) if track_test else (None, None)
    return model.fit(split.X_train, split.y_train, *test, classes=split.classes)


def synthetic_split(n_rows, n_features, n_classes, seed=0):
    """Gaussian features, labels from a random linear model's noisy argmax."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_rows, n_features))
    true_weights = rng.standard_normal((n_features, n_classes)) / np.sqrt(n_features)
    y = np.argmax(X @ true_weights + rng.gumbel(size=(n_rows, n_classes)), axis=1)
    return X, y


def _timed(function, *arguments):
    """(result, seconds) of one call, with the garbage collector kept out of it."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = function(*arguments)
        return result, time.perf_counter() - start
    finally:
        gc.enable()


def compare_on_digits(repeats):
    """Interleaved timings on the pipeline's Digits split; medians and ratios."""
    split = split_and_standardize(load_bundled("load_digits"), TEST_FRACTION, SEED)
    X, y, K = split.X_train, split.y_train, split.classes.size
    times = {name: [] for name in ("floor", "fit", "fit_tracking_test", "loop")}
    for _ in range(repeats):
        times["floor"].append(_timed(floor_products, X, K, EPOCHS)[1])
        model, seconds = _timed(library_fit, split, EPOCHS, False)
        times["fit"].append(seconds)
        times["fit_tracking_test"].append(_timed(library_fit, split, EPOCHS, True)[1])
        (W, b, losses), seconds = _timed(
            straightforward_descent, X, y, K, LEARNING_RATE, EPOCHS
        )
        times["loop"].append(seconds)
    history = model.history_["train_cross_entropy"].to_numpy()
    ratios = {
        "fit_over_floor": _median_ratio(times["fit"], times["floor"]),
        "fit_tracking_test_over_floor": _median_ratio(
            times["fit_tracking_test"], times["floor"]
        ),
        "loop_over_fit": _median_ratio(times["loop"], times["fit"]),
        "loop_over_fit_tracking_test": _median_ratio(
            times["loop"], times["fit_tracking_test"]
        ),
    }
    return {
        "shape": {"rows": X.shape[0], "features": X.shape[1], "classes": int(K)},
        "epochs": EPOCHS,
        "learning_rate": LEARNING_RATE,
        "repeats": repeats,
        "median_seconds": {name: statistics.median(t) for name, t in times.items()},
        "median_ratios": ratios,
        "loss_history_max_abs_difference": float(np.max(np.abs(history - losses))),
        "weights_max_abs_difference": float(np.max(np.abs(model.weights_ - W))),
        "bias_max_abs_difference": float(np.max(np.abs(model.bias_ - b))),
        "goals": {
            "fit_within_1.5x_of_floor": ratios["fit_over_floor"] <= 1.5,
            "fit_3x_faster_than_loop": ratios["loop_over_fit"] >= 3,
            "same_loss_history_within_1e-10": bool(
                np.allclose(history, losses, rtol=1e-10, atol=0)
            ),
        },
    }


def _median_ratio(numerators, denominators):
    return statistics.median(
        a / b for a, b in zip(numerators, denominators, strict=True)
    )


def scaling(rows, n_features, n_classes, repeats, flops_per_run=4e9):
    """Seconds per epoch of the library's fit and of the floor, by number of rows.

    A fit's seconds per epoch are (t(epochs) - t(1)) / (epochs - 1): the one-time
    setup (checking X, laying out [X 1], X^T Y) cancels and is reported apart.
    """
    table = []
    for n_rows in rows:
        X, y = synthetic_split(n_rows, n_features, n_classes)
        features = fit_layout(X)
        # About the same work at every size: fewer epochs for more rows.
        epochs = max(20, int(flops_per_run / (4 * n_rows * n_features * n_classes)))
        model = SoftmaxRegressionGD(learning_rate=LEARNING_RATE, epochs=epochs)
        single = SoftmaxRegressionGD(learning_rate=LEARNING_RATE, epochs=1)
        fit_times, setup_times, floor_times, layout_times = [], [], [], []
        for _ in range(repeats):
            floor_times.append(_timed(floor_products, X, n_classes, epochs)[1] / epochs)
            layout_times.append(
                _timed(products_in_fit_layout, features, n_classes, epochs)[1] / epochs
            )
            setup = _timed(single.fit, X, y)[1]
            seconds = (_timed(model.fit, X, y)[1] - setup) / (epochs - 1)
            fit_times.append(seconds)
            # fit(epochs=1) is the setup plus two loss evaluations and one step.
            setup_times.append(setup - 1.5 * seconds)
        table.append(
            {
                "rows": n_rows,
                "epochs": epochs,
                "fit_seconds_per_epoch": statistics.median(fit_times),
                "floor_seconds_per_epoch": statistics.median(floor_times),
                "fit_over_floor": _median_ratio(fit_times, floor_times),
                "products_in_fit_layout_seconds_per_epoch": statistics.median(
                    layout_times
                ),
                "fit_over_products_in_fit_layout": _median_ratio(
                    fit_times, layout_times
                ),
                "fit_setup_seconds": statistics.median(setup_times),
            }
        )
    return table


def peak_memory(epoch_counts):
    """tracemalloc's peak while fitting Digits (with test loss) for each epoch count.

    Returns {epochs: peak bytes}; the history itself, four float64 columns of
    epochs + 1 rows (as arrays, then as a table), is the only part that should
    grow with the epochs.
    """
    split = split_and_standardize(load_bundled("load_digits"), TEST_FRACTION, SEED)
    peaks = {}
    for epochs in epoch_counts:
        gc.collect()
        tracemalloc.start()
        library_fit(split, epochs, True)
        peaks[epochs] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peaks


def machine():
    """What the timings depend on: versions, BLAS, cores, BLAS-related settings."""
    blas = [
        {key: entry.get(key) for key in ("internal_api", "version", "architecture")}
        for entry in threadpool_info()
    ]
    variables = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS")
    return {
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "blas": blas,
        "environment": {
            name: os.environ[name] for name in variables if name in os.environ
        },
    }


def print_table(report):
    digits = report["digits"]
    seconds, ratios = digits["median_seconds"], digits["median_ratios"]
    shape = digits["shape"]
    print(
        f"Digits {shape['rows']} x {shape['features']}, {shape['classes']} classes, "
        f"{digits['epochs']} epochs, BLAS threads {report['threads']}; medians of "
        f"{digits['repeats']} interleaved repeats (ratios: median of each repeat's)"
    )
    rows = [
        ("floor (two products)", seconds["floor"], 1.0, None),
        ("fit", seconds["fit"], ratios["fit_over_floor"], ratios["loop_over_fit"]),
        (
            "fit, tracking test loss",
            seconds["fit_tracking_test"],
            ratios["fit_tracking_test_over_floor"],
            ratios["loop_over_fit_tracking_test"],
        ),
        ("straightforward loop", seconds["loop"], None, 1.0),
    ]
    print(f"{'':26s}{'seconds':>9s}{'x floor':>9s}{'loop / x':>10s}")
    for name, value, over_floor, speedup in rows:
        over = f"{over_floor:9.2f}" if over_floor is not None else f"{'':9s}"
        speed = f"{speedup:10.2f}" if speedup is not None else ""
        print(f"{name:26s}{value:9.3f}{over}{speed}")
    print(
        "loss history vs loop: max |difference| "
        f"{digits['loss_history_max_abs_difference']:.2e}"
    )
    print("time per epoch by rows (synthetic, 64 features, 10 classes), in ms:")
    header = ("rows", "epochs", "fit", "floor", "x floor", "fit layout", "x layout")
    print("".join(f"{name:>11s}" for name in header))
    for row in report["scaling"]:
        cells = (
            f"{row['rows']:d}",
            f"{row['epochs']:d}",
            f"{row['fit_seconds_per_epoch'] * 1e3:.3f}",
            f"{row['floor_seconds_per_epoch'] * 1e3:.3f}",
            f"{row['fit_over_floor']:.2f}",
            f"{row['products_in_fit_layout_seconds_per_epoch'] * 1e3:.3f}",
            f"{row['fit_over_products_in_fit_layout']:.2f}",
        )
        print("".join(f"{cell:>11s}" for cell in cells))
    peaks, growth = report["peak_memory_bytes"], report["peak_memory_growth_bytes"]
    print(
        f"tracemalloc peak of fit with test loss: {peaks[100] / 1e6:.3f} MB at 100 "
        f"epochs, {peaks[1000] / 1e6:.3f} MB at 1000 (+{growth['measured'] / 1e3:.0f}"
        f" kB; the 900 extra history rows take "
        f"{growth['history_columns_900_rows_twice'] / 1e3:.0f} kB)"
    )
    for goal, met in digits["goals"].items():
        print(f"{goal}: {'yes' if met else 'NO'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="JSON report")
    arguments = parser.parse_args(argv)
    with threadpool_limits(limits=arguments.threads):
        report = {
            "threads": arguments.threads,
            "machine": machine(),
            "digits": compare_on_digits(arguments.repeats),
            "scaling": scaling((1_000, 10_000, 100_000), 64, 10, 3),
            "peak_memory_bytes": peak_memory((100, 1000)),
        }
    peaks = report["peak_memory_bytes"]
    report["peak_memory_growth_bytes"] = {
        "measured": peaks[1000] - peaks[100],
        "history_columns_900_rows_twice": 2 * 4 * 8 * 900,
    }
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"wrote {arguments.output}")


if __name__ == "__main__":
    main()
