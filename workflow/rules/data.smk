rule prepare_dataset:
    output:
        "results/data/{dataset}.npz",
    params:
        loader=lambda wildcards: config["datasets"][wildcards.dataset]["loader"],
        seed=config["seed"],
        test_fraction=config["test_fraction"],
    log:
        "results/logs/prepare_dataset/{dataset}.log",
    threads: 1
    conda:
        ENV
    script:
        "../scripts/prepare_dataset.py"
