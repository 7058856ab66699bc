rule train_model:
    input:
        model_dataset_file,
    output:
        **model_files("{model}"),
    params:
        settings=lambda wildcards: config["models"][wildcards.model],
        log_every=config["log_every"],
    log:
        "results/logs/train_model/{model}.log",
    threads: 1
    conda:
        ENV
    script:
        "../scripts/train_model.py"
