"""The essay's figures: one function per figure, each returning a matplotlib Figure.

``save_figure`` writes any of them so that the same figure gives the same bytes on
every run: the writers' dates, version stamps and random ids are switched off.
"""

import logging
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
    odds,
    sigmoid,
    softmax,
)

__all__ = [
    "apply_style",
    "describe_training",
    "plot_binary_overview",
    "plot_bridge",
    "plot_class_weights",
    "plot_confusion_matrix",
    "plot_cross_entropy_curves",
    "plot_image_overview",
    "plot_learning_rate_sweep",
    "plot_loss_curves",
    "plot_odds_and_log_odds",
    "plot_probability_surface",
    "plot_sigmoid",
    "plot_softmax_transform",
    "readable",
    "save_figure",
    "training_warning",
]

logger = logging.getLogger(__name__)

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
    figure = Figure(figsize=(8, 6.8))
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
    # Below the plane, not on it: with other features the samples fill any corner.
    ax.get_legend().remove()
    figure.legend(
        handles, labels, title="training samples", loc="outside lower center", ncols=3
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
    # The sum's subscript hangs below the title line: pad keeps it off the axes.
    logit_ax.set_title(r"logits $z_k = x^\top W_k + b_k$", pad=16)
    prob_ax.set_title(r"softmax $p_k = e^{z_k} / \sum_j e^{z_j}$", pad=16)
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
        loc="upper left",
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


def plot_odds_and_log_odds(marks=(0.2, 0.5, 0.8), odds_limit=10.0):
    """Odds p / (1 - p) and log-odds log(p / (1 - p)) against the probability p.

    Each probability in ``marks`` is marked on both curves, its value in the legend;
    the odds axis stops at ``odds_limit`` (or just above the largest marked odds).
    """
    p = np.linspace(0.001, 0.999, 999)
    marks = np.sort(np.asarray(marks, dtype=np.float64))
    colors = sns.color_palette("rocket", marks.size + 1)[: marks.size]
    markers = ["o", "s", "D", "^", "v", "P", "X"]
    figure = Figure(figsize=(12, 4.8))
    odds_ax, log_odds_ax = figure.subplots(1, 2)
    panels = (
        (odds_ax, odds, "odds", r"odds $= p / (1 - p)$", 1.0),
        (log_odds_ax, log_odds, "log-odds", r"log-odds $= \log\, p / (1 - p)$", 0.0),
    )
    for ax, transform, name, formula, even in panels:
        ax.plot(p, transform(p), lw=2.5, label=formula)
        ax.axhline(
            even, color="0.4", ls="--", lw=1, label=f"even odds: {name} {even:g}"
        )
        for index, (mark, color) in enumerate(zip(marks, colors, strict=True)):
            value = float(transform(mark))
            ax.plot(
                mark,
                value,
                markers[index % len(markers)],
                color=color,
                ms=9,
                markeredgecolor="white",
                label=f"p = {mark:g}: {name} {value:.3g}",
            )
        ax.set(xlabel="probability p", ylabel=name, xlim=(0, 1))
        ax.legend(loc="upper left")
    odds_ax.set_ylim(0, max(odds_limit, 1.15 * float(odds(marks).max())))
    odds_ax.set_title("Odds live on (0, ∞)")
    log_odds_ax.set_title("Log-odds live on the whole real line")
    figure.suptitle("From probability to odds to log-odds", fontweight="bold")
    return figure


def plot_confusion_matrix(counts, class_names, title, subtitle=""):
    """Heatmap of a confusion matrix C (K, K), each cell annotated with its count.

    Rows are the true classes, columns the predicted ones. The diagonal (correct
    answers) is blue, the mistakes off it red on their own scale, so that a handful
    of confusions stands out next to hundreds of hits; the largest is named.
    """
    counts = np.asarray(counts)
    names = [str(name) for name in class_names]
    diagonal = np.eye(len(names), dtype=bool)
    errors = np.where(diagonal, 0, counts)
    true, predicted = np.unravel_index(np.argmax(errors), errors.shape)
    summary = f"{int(np.trace(counts))} of {int(counts.sum())} test samples correct"
    if errors[true, predicted]:
        summary += (
            f"; most common mistake: true {names[true]} predicted "
            f"{names[predicted]} ({errors[true, predicted]} times)"
        )
    side = 1.5 + 0.55 * len(names)
    figure = Figure(figsize=(side + 1.6, side + 0.6))
    ax = figure.subplots()
    shared = {
        "annot": True,
        "fmt": "d",
        "square": True,
        "linewidths": 0.5,
        "linecolor": "white",
        "xticklabels": names,
        "yticklabels": names,
        "ax": ax,
    }
    sns.heatmap(counts, mask=~diagonal, cmap="Blues", vmin=0, cbar=False, **shared)
    sns.heatmap(
        counts,
        mask=diagonal,
        cmap="Reds",
        vmin=0,
        vmax=max(1, int(errors.max())),
        cbar_kws={"label": "mistakes: test samples", "shrink": 0.8},
        **shared,
    )
    # Counts are whole numbers: so are the colour bar's ticks.
    ax.collections[-1].colorbar.locator = mpl.ticker.MaxNLocator(integer=True)
    ax.collections[-1].colorbar.update_ticks()
    for text in ax.texts:
        if text.get_text() == "0":
            # Empty cells stay legible but step back behind the counts that matter.
            text.set_color("0.7")
    ax.tick_params(axis="y", rotation=0)
    ax.set(xlabel="predicted class", ylabel="true class")
    legend = "diagonal (blue): correct; off it (red): mistakes"
    lines = [subtitle, summary, legend] if subtitle else [summary, legend]
    ax.set_title("\n".join(lines), fontsize=10, fontweight="normal")
    figure.suptitle(title, fontweight="bold")
    return figure


def plot_class_weights(model, split, columns=5):
    """Each class's weight column W[:, k] (n,) drawn as an image of the split's shape.

    One diverging colour scale, centred at 0 and shared by every class: red pixels
    push that class's logit up when they are brighter than average, blue ones down.
    """
    shape = tuple(int(size) for size in split.image_shape)
    weights = np.asarray(model.weights_)
    if not shape or int(np.prod(shape)) != weights.shape[0]:
        raise ValueError(
            f"the model has {weights.shape[0]} weights per class, which do not form "
            "an image of the dataset; draw a softmax model trained on all pixels of "
            "an image dataset"
        )
    n_classes = weights.shape[1]
    columns = min(columns, n_classes)
    rows = -(-n_classes // columns)
    limit = float(np.abs(weights).max()) or 1.0
    figure = Figure(figsize=(2.1 * columns + 1.2, 2.3 * rows + 0.8))
    axes = figure.subplots(rows, columns, squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        if k >= n_classes:
            ax.set_axis_off()
            continue
        image = ax.imshow(
            weights[:, k].reshape(shape), cmap="RdBu_r", vmin=-limit, vmax=limit
        )
        ax.set_title(f"class {split.class_name(model.classes_[k])}", fontsize=11)
    figure.colorbar(
        image,
        ax=axes,
        shrink=0.85,
        label="weight on the standardized pixel\n(red raises the class's logit)",
    )
    figure.suptitle(
        "Softmax regression weights: one image per class", fontweight="bold"
    )
    return figure


def plot_bridge(softmax_model, logistic_model, split):
    """The two-class softmax model against logistic regression at twice its rate.

    Left: both training losses per epoch, overlaid. Right: each test sample's
    P(second class) from one model against the other, on the diagonal, with the
    largest absolute difference written in the panel.
    """
    positive = split.class_name(split.classes[1])
    softmax_p = softmax_model.predict_proba(split.X_test)[:, 1]
    logistic_p = logistic_model.predict_proba(split.X_test)[:, 1]
    difference = float(np.max(np.abs(softmax_p - logistic_p)))
    softmax_loss = softmax_model.history_["train_cross_entropy"]
    logistic_loss = logistic_model.history_["train_cross_entropy"]
    loss_difference = float(np.max(np.abs(softmax_loss - logistic_loss)))
    logger.info(
        "largest difference: test P(%s) %.3g, training loss %.3g",
        positive,
        difference,
        loss_difference,
    )
    figure = Figure(figsize=(12.5, 5.2))
    loss_ax, scatter_ax = figure.subplots(1, 2)
    loss_ax.plot(
        softmax_model.history_["epoch"],
        softmax_loss,
        lw=6,
        alpha=0.45,
        color=TRAIN_COLOR,
        label=rf"softmax, two classes, $\alpha$ = {softmax_model.learning_rate:g}",
    )
    loss_ax.plot(
        logistic_model.history_["epoch"],
        logistic_loss,
        lw=1.8,
        ls="--",
        color="black",
        label=rf"logistic, $2\alpha$ = {logistic_model.learning_rate:g}",
    )
    loss_ax.annotate(
        f"largest difference between the curves: {loss_difference:.1e}",
        xy=(0.97, 0.6),
        xycoords="axes fraction",
        ha="right",
    )
    loss_ax.set(
        title="Training loss per epoch",
        xlabel="epoch",
        ylabel="mean cross-entropy",
        ylim=(0, None),
    )
    loss_ax.legend(loc="upper right")
    scatter_ax.plot([0, 1], [0, 1], color="0.5", lw=1, label="diagonal: equal")
    scatter_ax.scatter(
        logistic_p,
        softmax_p,
        s=22,
        color=TRAIN_COLOR,
        edgecolor="black",
        linewidth=0.3,
        alpha=0.8,
        label=f"{softmax_p.size} test samples",
    )
    scatter_ax.annotate(
        f"largest |difference|: {difference:.1e}",
        xy=(0.97, 0.05),
        xycoords="axes fraction",
        ha="right",
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.7"},
    )
    scatter_ax.set(
        title=f"Test-set P({positive} | x)",
        xlabel=f"logistic regression: P({positive})",
        ylabel=f"softmax, two classes: P({positive})",
        xlim=(-0.03, 1.03),
        ylim=(-0.03, 1.03),
        aspect="equal",
    )
    scatter_ax.legend(loc="upper left")
    figure.suptitle(
        "Softmax with two classes is logistic regression at twice the learning rate",
        fontweight="bold",
    )
    return figure


def plot_learning_rate_sweep(histories, title):
    """Training and test cross-entropy per epoch, one curve per learning rate.

    ``histories`` maps each learning rate to the history table of the model trained
    with it. The loss axis is logarithmic so that a slow descent, a fast one and an
    overshoot all stay readable; a rate whose loss ever rose says so in the legend.
    """
    rates = sorted(histories)
    # Ordered like the rates and spread far apart, stopping short of plasma's pale
    # yellow end, which a white background would swallow.
    colors = mpl.colormaps["plasma"](np.linspace(0.0, 0.8, len(rates)))
    figure = Figure(figsize=(12.5, 5))
    train_ax, test_ax = figure.subplots(1, 2, sharey=True)
    for rate, color in zip(rates, colors, strict=True):
        history = histories[rate]
        rises = int(np.sum(np.diff(history["train_cross_entropy"].to_numpy()) > 0))
        label = rf"$\alpha$ = {rate:g}"
        if rises:
            label += f" (loss rose in {rises} epoch{'s' if rises > 1 else ''})"
        for ax, column in (
            (train_ax, "train_cross_entropy"),
            (test_ax, "test_cross_entropy"),
        ):
            ax.plot(history["epoch"], history[column], lw=2, color=color, label=label)
    start = float(histories[rates[0]]["train_cross_entropy"].iloc[0])
    for ax, split in ((train_ax, "training"), (test_ax, "test")):
        ax.axhline(
            start,
            color="0.3",
            ls=":",
            lw=1.5,
            label=f"loss at zero weights ({start:.3f})",
        )
        ax.set(
            title=f"{split} split",
            xlabel="epoch",
            ylabel="mean cross-entropy (log scale)",
            yscale="log",
        )
    test_ax.yaxis.set_tick_params(labelleft=True)
    # Below the panels, where no curve can run under it.
    figure.legend(
        *train_ax.get_legend_handles_labels(),
        loc="outside lower center",
        ncols=min(5, len(rates) + 1),
    )
    figure.suptitle(title, fontweight="bold")
    return figure
