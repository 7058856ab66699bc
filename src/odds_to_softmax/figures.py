"""The essay's figures: one function per figure, each returning a matplotlib Figure.

``save_figure`` writes any of them so that the same figure gives the same bytes on
every run: the writers' dates, version stamps and random ids are switched off.
"""

from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from odds_to_softmax.artifacts import write_atomically
from odds_to_softmax.functions import (
    binary_cross_entropy,
    log_odds,
    sigmoid,
    softmax,
)

__all__ = [
    "apply_style",
    "describe_training",
    "plot_binary_overview",
    "plot_cross_entropy_curves",
    "plot_image_overview",
    "plot_loss_curves",
    "plot_probability_surface",
    "plot_sigmoid",
    "plot_softmax_transform",
    "readable",
    "save_figure",
    "training_warning",
]

# Writers stamp dates and versions unless these keys are set to None.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}
# seaborn's colorblind palette: blue, orange, vermillion.
TRAIN_COLOR, TEST_COLOR, MARK_COLOR = "#0173b2", "#de8f05", "#d55e00"
# The two classes of a binary dataset keep these colours and markers everywhere.
CLASS_COLORS, CLASS_MARKERS = (TRAIN_COLOR, TEST_COLOR), ("X", "o")


def apply_style():
    """One look for every figure: seaborn's white grid, readable sizes."""
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    mpl.rcParams.update(
        {
            "figure.constrained_layout.use": True,
            "axes.titleweight": "bold",
            "svg.hashsalt": "odds-to-softmax",
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
        }
    )


def save_figure(figure, path, dpi):
    """Write ``figure`` atomically and reproducibly.

    The format (png, svg or pdf) is the suffix of ``path``.
    """
    file_format = Path(path).suffix.removeprefix(".")
    if file_format not in _METADATA:
        raise ValueError(
            f"unsupported figure format {file_format!r} for {path}; allowed: "
            f"{', '.join(_METADATA)}"
        )
    write_atomically(
        path,
        lambda handle: figure.savefig(
            handle, format=file_format, dpi=dpi, metadata=_METADATA[file_format]
        ),
        suffix=f".{file_format}",
    )


def plot_sigmoid(z_limit=8.0):
    """sigma(z) over [-z_limit, z_limit], with sigma(0) = 0.5 and both asymptotes."""
    z = np.linspace(-z_limit, z_limit, 401)
    figure = Figure(figsize=(7, 4.5))
    ax = figure.subplots()
    ax.plot(z, sigmoid(z), lw=2.5, label=r"$\sigma(z) = 1 / (1 + e^{-z})$")
    for level in (0.0, 1.0):
        ax.axhline(level, color="0.4", ls="--", lw=1)
    ax.plot([], [], color="0.4", ls="--", lw=1, label="asymptotes at 0 and 1")
    ax.axvline(0.0, color="0.7", lw=0.8)
    ax.plot(0.0, 0.5, "o", color=MARK_COLOR, ms=8, label=r"$\sigma(0) = 0.5$")
    ax.annotate(
        "logit 0: even odds",
        xy=(0.0, 0.5),
        xytext=(1.2, 0.33),
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
    ax.set(
        title="Sigmoid function",
        xlabel=r"logit $z = w^\top x + b$ (log-odds)",
        ylabel=r"probability $p = \sigma(z)$",
        xlim=(-z_limit, z_limit),
        ylim=(-0.05, 1.05),
    )
    # Anchored below the asymptote at 1, which would otherwise run under the box.
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.93))
    return figure


def plot_cross_entropy_curves(p_min=1e-3):
    """Loss of one example against the predicted P(y = 1), for y = 1 and y = 0."""
    p = np.linspace(p_min, 1.0 - p_min, 500)
    logits = log_odds(p)
    figure = Figure(figsize=(7, 4.5))
    ax = figure.subplots()
    for label, style in ((1, "-"), (0, "--")):
        losses = binary_cross_entropy(np.full_like(p, label), logits, mean=False)
        formula = r"$-\log \hat{y}$" if label else r"$-\log(1 - \hat{y})$"
        ax.plot(p, losses, ls=style, lw=2.5, label=f"true label y = {label}: {formula}")
    ax.annotate(
        "confident and wrong:\nthe loss grows without bound",
        xy=(0.02, -np.log(0.02)),
        xytext=(0.18, 5.2),
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
    ax.set(
        title="Binary cross-entropy",
        xlabel=r"predicted probability $\hat{y} = P(y = 1 \mid x)$",
        ylabel="loss of one example",
        xlim=(0, 1),
        ylim=(0, 7),
    )
    ax.legend(loc="upper center")
    return figure


def _class_styles(order):
    """Colour and marker of each class name, in ``order``, for seaborn."""
    return (
        dict(zip(order, CLASS_COLORS, strict=False)),
        dict(zip(order, CLASS_MARKERS, strict=False)),
    )


def _labelled_frame(split, features):
    """Raw values of ``features`` for every sample (train and test), with classes."""
    columns = [int(np.flatnonzero(split.feature_names == name)[0]) for name in features]
    raw = np.vstack([split.X_train_raw, split.X_test_raw])[:, columns]
    labels = np.concatenate([split.y_train, split.y_test])
    frame = pd.DataFrame(raw, columns=list(features))
    frame["class"] = [split.class_name(label) for label in labels]
    return frame


def plot_binary_overview(split, features, dataset_title):
    """Class counts with their names, and two raw features scattered by class."""
    frame = _labelled_frame(split, features)
    order = [str(name) for name in split.class_names]
    figure = Figure(figsize=(12, 4.8))
    count_ax, scatter_ax = figure.subplots(1, 2, width_ratios=[1, 1.6])
    colors, markers = _class_styles(order)
    sns.countplot(
        data=frame,
        x="class",
        hue="class",
        order=order,
        hue_order=order,
        palette=colors,
        ax=count_ax,
    )
    for container in count_ax.containers:
        count_ax.bar_label(container, padding=2)
    count_ax.margins(y=0.12)
    count_ax.set(title="Class balance", xlabel="class", ylabel="number of samples")
    sns.scatterplot(
        data=frame,
        x=features[0],
        y=features[1],
        hue="class",
        hue_order=order,
        palette=colors,
        style="class",
        markers=markers,
        alpha=0.7,
        ax=scatter_ax,
    )
    scatter_ax.set(title="Two raw features", xlabel=features[0], ylabel=features[1])
    figure.suptitle(f"{dataset_title} dataset overview", fontweight="bold")
    return figure


def readable(name):
    """A config name as a title: ``breast_cancer`` -> ``Breast Cancer``."""
    return name.replace("_", " ").title()


def training_warning(metrics):
    """A warning to print on a loss figure when training went uphill, else ''."""
    rising = metrics["epochs_with_rising_loss"]
    if not rising:
        return ""
    verdict = " and ended above where it started" if metrics["diverged"] else ""
    return (
        f"the loss rose in {rising} of {metrics['settings']['epochs']} epochs"
        f"{verdict}:\nthe learning rate is too large"
    )


def describe_training(metrics):
    """One line naming a trained model's dataset, settings and test accuracy."""
    settings = metrics["settings"]
    l2 = f", L2 {settings['l2']:g}" if settings["l2"] else ""
    return (
        f"{readable(settings['dataset'])}: learning rate "
        f"{settings['learning_rate']:g}, "
        f"{settings['epochs']} epochs{l2}; test accuracy {metrics['test_accuracy']:.3f}"
    )


def plot_loss_curves(history, title, subtitle="", warning=""):
    """Train and test cross-entropy per epoch, from a model's history table.

    A non-empty ``warning`` is printed in the plot, where nobody misses it.
    """
    long = history.melt(
        id_vars="epoch",
        value_vars=["train_cross_entropy", "test_cross_entropy"],
        var_name="split",
        value_name="cross-entropy",
    ).dropna()
    long["split"] = long["split"].str.removesuffix("_cross_entropy")
    figure = Figure(figsize=(7, 4.5))
    ax = figure.subplots()
    sns.lineplot(
        data=long,
        x="epoch",
        y="cross-entropy",
        hue="split",
        palette={"train": TRAIN_COLOR, "test": TEST_COLOR},
        lw=2,
        ax=ax,
    )
    final = history.iloc[-1]
    ax.annotate(
        f"after {int(final['epoch'])} epochs: train {final['train_cross_entropy']:.3f}"
        f", test {final['test_cross_entropy']:.3f}",
        xy=(0.98, 0.95),
        xycoords="axes fraction",
        ha="right",
        va="top",
    )
    if warning:
        ax.text(
            0.98,
            0.84,
            f"warning: {warning}",
            transform=ax.transAxes,
            ha="right",
            va="top",
            color=MARK_COLOR,
            fontweight="bold",
        )
    ax.set(xlabel="epoch", ylabel="mean cross-entropy", ylim=(0, None))
    figure.suptitle(title, fontweight="bold")
    ax.set_title(subtitle, fontweight="normal", fontsize=11)
    ax.legend(title="split", loc="center right")
    return figure


def plot_probability_surface(model, split, positive_name, resolution=300):
    """P(positive) of a two-feature logistic model over the raw feature plane."""
    features = [str(name) for name in split.feature_names]
    frame = _labelled_frame(split, features)
    train = frame.iloc[: split.y_train.size]
    low = train[features].min().to_numpy()
    high = train[features].max().to_numpy()
    pad = 0.05 * (high - low)
    grid_x, grid_y = np.meshgrid(
        np.linspace(low[0] - pad[0], high[0] + pad[0], resolution),
        np.linspace(low[1] - pad[1], high[1] + pad[1], resolution),
    )
    raw_grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    # The model was trained on standardized features: map the raw grid the same way.
    standardized = (raw_grid - split.scaler_mean) / split.scaler_scale
    probability = model.predict_proba(standardized)[:, 1].reshape(grid_x.shape)
    figure = Figure(figsize=(8, 6))
    ax = figure.subplots()
    order = [str(name) for name in split.class_names]
    colors, markers = _class_styles(order)
    # From the negative class's colour through white (P = 0.5) to the positive's.
    colormap = LinearSegmentedColormap.from_list(
        "classes", [CLASS_COLORS[0], "white", CLASS_COLORS[1]]
    )
    filled = ax.contourf(
        grid_x,
        grid_y,
        probability,
        levels=np.linspace(0, 1, 21),
        cmap=colormap,
        # Pale enough that points of either class stand out on either side.
        alpha=0.5,
    )
    ax.contour(grid_x, grid_y, probability, levels=[0.5], colors="black", linewidths=2)
    sns.scatterplot(
        data=train,
        x=features[0],
        y=features[1],
        hue="class",
        hue_order=order,
        palette=colors,
        style="class",
        markers=markers,
        edgecolor="black",
        linewidth=0.4,
        s=32,
        ax=ax,
    )
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color="black", lw=2))
    labels.append("P = 0.5 (decision boundary)")
    ax.legend(
        handles, labels, title="training samples", loc="upper right", framealpha=0.9
    )
    figure.colorbar(filled, ax=ax, label=f"P({positive_name} | x)")
    ax.set(
        title=f"Logistic regression: P({positive_name}) on two features",
        xlabel=features[0],
        ylabel=features[1],
    )
    return figure


def plot_image_overview(split, dataset_title, samples_per_class=2):
    """Raw sample images with their labels, and the mean image of each class."""
    shape = tuple(int(size) for size in split.image_shape)
    images = np.vstack([split.X_train_raw, split.X_test_raw])
    labels = np.concatenate([split.y_train, split.y_test])
    n_classes = split.classes.size
    figure = Figure(
        figsize=(1.3 * n_classes + 0.8, 1.45 * (samples_per_class + 1) + 0.6)
    )
    axes = figure.subplots(samples_per_class + 1, n_classes, squeeze=False)
    vmax = images.max()
    for column, label in enumerate(split.classes):
        members = np.flatnonzero(labels == label)
        name = split.class_name(label)
        for row in range(samples_per_class):
            axes[row, column].imshow(
                images[members[row]].reshape(shape), cmap="gray_r", vmin=0, vmax=vmax
            )
            axes[row, column].set_title(f"label {name}", fontsize=10)
        axes[-1, column].imshow(
            images[members].mean(axis=0).reshape(shape),
            cmap="gray_r",
            vmin=0,
            vmax=vmax,
        )
        axes[-1, column].set_title(f"mean of {name}", fontsize=10, color=MARK_COLOR)
    for ax in axes.ravel():
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
    for row in range(samples_per_class):
        axes[row, 0].set_ylabel(f"sample {row + 1}")
    axes[-1, 0].set_ylabel("class mean", color=MARK_COLOR)
    figure.suptitle(
        f"{dataset_title} dataset overview: raw samples and the mean image of each "
        "class",
        fontweight="bold",
    )
    return figure


def plot_softmax_transform(model, split, index):
    """One test sample, its logits and its softmax probabilities, side by side."""
    features = split.X_test[index : index + 1]
    logits = model.decision_function(features)[0]
    probabilities = softmax(logits)
    true_label = split.y_test[index]
    true = int(np.searchsorted(model.classes_, true_label))
    predicted = int(np.argmax(probabilities))
    names = [split.class_name(label) for label in model.classes_]
    figure = Figure(figsize=(14, 4.5))
    sample_ax, logit_ax, prob_ax = figure.subplots(1, 3, width_ratios=[0.8, 1.3, 1.3])
    if split.image_shape.size:
        shape = tuple(int(size) for size in split.image_shape)
        sample_ax.imshow(split.X_test_raw[index].reshape(shape), cmap="gray_r")
        sample_ax.set(xticks=[], yticks=[])
        sample_ax.grid(False)
    else:
        sample_ax.barh(np.arange(features.shape[1]), features[0], color="0.5")
        sample_ax.set(
            yticks=np.arange(features.shape[1]),
            yticklabels=split.feature_names,
            xlabel="standardized value",
        )
    sample_ax.set_title(f"test sample {index}\ntrue class: {names[true]}")
    colors = ["0.7"] * len(names)
    colors[predicted] = MARK_COLOR
    colors[true] = TRAIN_COLOR
    positions = np.arange(len(names))
    logit_ax.bar(positions, logits, color=colors)
    logit_ax.axhline(0.0, color="0.3", lw=0.8)
    logit_ax.set_title(r"logits $z_k = x^\top W_k + b_k$", pad=10)
    prob_ax.set_title(r"softmax $p_k = e^{z_k} / \sum_j e^{z_j}$", pad=10)
    logit_ax.set(
        xlabel="class",
        ylabel="logit",
        xticks=positions,
        xticklabels=names,
    )
    prob_ax.bar(positions, probabilities, color=colors)
    prob_ax.bar_label(
        prob_ax.containers[0],
        labels=[f"{value:.2f}" if value >= 0.01 else "" for value in probabilities],
        padding=2,
        fontsize=9,
    )
    prob_ax.set(
        xlabel="class",
        ylabel="probability",
        xticks=positions,
        xticklabels=names,
        # Room above the bars for their labels and the legend.
        ylim=(0, 1.3),
        yticks=np.linspace(0, 1, 6),
    )
    if true == predicted:
        legend = {"true class, predicted": TRAIN_COLOR}
    else:
        legend = {"true class": TRAIN_COLOR, "predicted class": MARK_COLOR}
    prob_ax.legend(
        [Rectangle((0, 0), 1, 1, color=color) for color in legend.values()],
        list(legend),
        loc="upper center",
        ncols=2,
        fontsize=9,
    )
    verdict = "correct" if true == predicted else "wrong"
    figure.suptitle(
        f"Softmax transformation on a real sample: predicted {names[predicted]} "
        f"({verdict})",
        fontweight="bold",
    )
    return figure
