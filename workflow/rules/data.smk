rule prepare_dataset:
    output:
        "results/data/{dataset}.npz",
    log:
        "results/logs/prepare_dataset/{dataset}.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("prepare_dataset.py"),
        loader=lambda wildcards: config["datasets"][wildcards.dataset]["loader"],
        seed=config["seed"],
        test_fraction=config["test_fraction"],
    script:
        "../scripts/prepare_dataset.py"
