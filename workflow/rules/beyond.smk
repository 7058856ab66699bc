# Figures a notebook would add to the essay, and the table of every model's metrics.

import re

from odds_to_softmax.settings import rate_name

BEYOND_FIGURE_NAMES = [
    "odds_log_odds",
    "softmax_confusion",
    "softmax_weights",
    "bridge",
    "learning_rate_sweep",
]
BEYOND_FIGURES = [figure(name) for name in BEYOND_FIGURE_NAMES]
# One wildcard value per configured rate: "0.01", "1", "200".
SWEEP_RATES = [rate_name(rate) for rate in config["sweep"]["learning_rates"]]
SWEEP_HISTORIES = expand(
    "results/sweep/{model}/lr_{learning_rate}/history.csv",
    model=config["sweep"]["model"],
    learning_rate=SWEEP_RATES,
)
BEYOND = "5. beyond the essay"


rule plot_odds_log_odds:
    output:
        report(
            figure("odds_log_odds"),
            caption="../report/odds_log_odds.rst",
            category=BEYOND,
            subcategory="from probability to log-odds",
            labels={"figure": "odds and log-odds", "built from": "closed form"},
        ),
    log:
        "results/logs/plot/odds_log_odds.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("odds_log_odds.py"),
        dpi=config["figures"]["dpi"],
        marks=config["figures"]["odds_marks"],
    script:
        "../scripts/odds_log_odds.py"


rule plot_softmax_confusion:
    input:
        **model_files(config["figures"]["confusion_model"]),
        data=dataset_file(
            config["models"][config["figures"]["confusion_model"]]["dataset"]
        ),
    output:
        report(
            figure("softmax_confusion"),
            caption="../report/softmax_confusion.rst",
            category=BEYOND,
            subcategory="softmax model: mistakes and weights",
            labels={
                "figure": "confusion matrix",
                "built from": config["figures"]["confusion_model"],
            },
        ),
    log:
        "results/logs/plot/softmax_confusion.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("softmax_confusion.py"),
        dpi=config["figures"]["dpi"],
        model=config["figures"]["confusion_model"],
    script:
        "../scripts/softmax_confusion.py"


rule plot_softmax_weights:
    input:
        **model_files(config["figures"]["weights_model"]),
        data=dataset_file(
            config["models"][config["figures"]["weights_model"]]["dataset"]
        ),
    output:
        report(
            figure("softmax_weights"),
            caption="../report/softmax_weights.rst",
            category=BEYOND,
            subcategory="softmax model: mistakes and weights",
            labels={
                "figure": "weights per class",
                "built from": config["figures"]["weights_model"],
            },
        ),
    log:
        "results/logs/plot/softmax_weights.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("softmax_weights.py"),
        dpi=config["figures"]["dpi"],
    script:
        "../scripts/softmax_weights.py"


rule plot_bridge:
    input:
        dataset_file(config["bridge"]["dataset"]),
    output:
        report(
            figure("bridge"),
            caption="../report/bridge.rst",
            category=BEYOND,
            subcategory="softmax with two classes",
            labels={
                "figure": "two-class softmax vs logistic",
                "built from": config["bridge"]["dataset"],
            },
        ),
    log:
        "results/logs/plot/bridge.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("bridge.py"),
        dpi=config["figures"]["dpi"],
        learning_rate=config["bridge"]["learning_rate"],
        epochs=config["bridge"]["epochs"],
    script:
        "../scripts/bridge.py"


rule sweep_learning_rate:
    input:
        model_dataset_file,
    output:
        "results/sweep/{model}/lr_{learning_rate}/history.csv",
    log:
        "results/logs/sweep_learning_rate/{model}/lr_{learning_rate}.log",
    wildcard_constraints:
        learning_rate="|".join(map(re.escape, SWEEP_RATES)),
    conda:
        ENV
    threads: 1
    params:
        code=code("sweep_learning_rate.py"),
        settings=lambda wildcards: {
            **config["models"][wildcards.model],
            "learning_rate": float(wildcards.learning_rate),
            "epochs": config["sweep"]["epochs"],
        },
    script:
        "../scripts/sweep_learning_rate.py"


rule plot_learning_rate_sweep:
    input:
        SWEEP_HISTORIES,
    output:
        report(
            figure("learning_rate_sweep"),
            caption="../report/learning_rate_sweep.rst",
            category=BEYOND,
            subcategory="training: the learning rate",
            labels={
                "figure": "learning-rate sweep",
                "built from": config["sweep"]["model"],
            },
        ),
    log:
        "results/logs/plot/learning_rate_sweep.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("learning_rate_sweep.py"),
        dpi=config["figures"]["dpi"],
        learning_rates=[float(rate) for rate in SWEEP_RATES],
        epochs=config["sweep"]["epochs"],
        model=config["sweep"]["model"],
        model_type=config["models"][config["sweep"]["model"]]["type"],
        dataset=config["models"][config["sweep"]["model"]]["dataset"],
    script:
        "../scripts/learning_rate_sweep.py"


rule collect_metrics:
    input:
        expand("results/models/{model}/metrics.json", model=config["models"]),
    output:
        table=report(
            "results/metrics.csv",
            caption="../report/metrics_csv.rst",
            category="6. metrics",
            labels={"table": "metrics", "format": "csv"},
        ),
        page=report(
            "results/metrics.html",
            caption="../report/metrics.rst",
            category="6. metrics",
            labels={"table": "metrics", "format": "html"},
        ),
    log:
        "results/logs/collect_metrics/metrics.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("collect_metrics.py"),
        models=list(config["models"]),
    script:
        "../scripts/collect_metrics.py"
