rule plot_sigmoid:
    output:
        report(
            figure("sigmoid"),
            caption="../report/sigmoid.rst",
            category="1. foundations",
            labels={"figure": "the sigmoid", "built from": "closed form"},
        ),
    log:
        "results/logs/plot/sigmoid.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("sigmoid.py"),
        dpi=config["figures"]["dpi"],
    script:
        "../scripts/sigmoid.py"


rule plot_bce_curves:
    output:
        report(
            figure("bce_curves"),
            caption="../report/bce_curves.rst",
            category="1. foundations",
            labels={"figure": "binary cross-entropy", "built from": "closed form"},
        ),
    log:
        "results/logs/plot/bce_curves.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("bce_curves.py"),
        dpi=config["figures"]["dpi"],
    script:
        "../scripts/bce_curves.py"


rule plot_breast_cancer_overview:
    input:
        dataset_file(config["figures"]["binary_dataset"]),
    output:
        report(
            figure("breast_cancer_overview"),
            caption="../report/breast_cancer_overview.rst",
            category="2. datasets",
            labels={
                "figure": "binary dataset",
                "built from": config["figures"]["binary_dataset"],
            },
        ),
    log:
        "results/logs/plot/breast_cancer_overview.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("breast_cancer_overview.py"),
        dpi=config["figures"]["dpi"],
        dataset=config["figures"]["binary_dataset"],
        features=config["figures"]["binary_overview_features"],
    script:
        "../scripts/breast_cancer_overview.py"


rule plot_logistic_loss:
    input:
        history=model_files(config["figures"]["logistic_model"])["history"],
        metrics=model_files(config["figures"]["logistic_model"])["metrics"],
    output:
        report(
            figure("logistic_loss"),
            caption="../report/logistic_loss.rst",
            category="3. binary model",
            labels={
                "figure": "loss curve",
                "built from": config["figures"]["logistic_model"],
            },
        ),
    log:
        "results/logs/plot/logistic_loss.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("loss_curve.py"),
        dpi=config["figures"]["dpi"],
        model=config["figures"]["logistic_model"],
        title="Logistic regression loss curve",
    script:
        "../scripts/loss_curve.py"


rule plot_logistic_surface:
    input:
        **model_files(config["figures"]["surface_model"]),
        data=dataset_file(
            config["models"][config["figures"]["surface_model"]]["dataset"]
        ),
    output:
        report(
            figure("logistic_surface"),
            caption="../report/logistic_surface.rst",
            category="3. binary model",
            labels={
                "figure": "probability surface",
                "built from": config["figures"]["surface_model"],
            },
        ),
    log:
        "results/logs/plot/logistic_surface.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("logistic_surface.py"),
        dpi=config["figures"]["dpi"],
    script:
        "../scripts/logistic_surface.py"


rule plot_digits_overview:
    input:
        dataset_file(config["figures"]["multiclass_dataset"]),
    output:
        report(
            figure("digits_overview"),
            caption="../report/digits_overview.rst",
            category="2. datasets",
            labels={
                "figure": "image dataset",
                "built from": config["figures"]["multiclass_dataset"],
            },
        ),
    log:
        "results/logs/plot/digits_overview.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("digits_overview.py"),
        dpi=config["figures"]["dpi"],
        dataset=config["figures"]["multiclass_dataset"],
    script:
        "../scripts/digits_overview.py"


rule plot_softmax_transform:
    input:
        **model_files(config["figures"]["softmax_model"]),
        data=dataset_file(
            config["models"][config["figures"]["softmax_model"]]["dataset"]
        ),
    output:
        report(
            figure("softmax_transform"),
            caption="../report/softmax_transform.rst",
            category="4. softmax model",
            labels={
                "figure": "softmax of one sample",
                "built from": config["figures"]["softmax_model"],
            },
        ),
    log:
        "results/logs/plot/softmax_transform.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("softmax_transform.py"),
        dpi=config["figures"]["dpi"],
        index=config["figures"]["transform_test_index"],
    script:
        "../scripts/softmax_transform.py"


rule plot_softmax_loss:
    input:
        history=model_files(config["figures"]["softmax_model"])["history"],
        metrics=model_files(config["figures"]["softmax_model"])["metrics"],
    output:
        report(
            figure("softmax_loss"),
            caption="../report/softmax_loss.rst",
            category="4. softmax model",
            labels={
                "figure": "loss curve",
                "built from": config["figures"]["softmax_model"],
            },
        ),
    log:
        "results/logs/plot/softmax_loss.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("loss_curve.py"),
        dpi=config["figures"]["dpi"],
        model=config["figures"]["softmax_model"],
        title="Softmax regression loss curve",
    script:
        "../scripts/loss_curve.py"
