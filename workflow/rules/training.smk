rule train_model:
    input:
        model_dataset_file,
    output:
        **model_files("{model}"),
    log:
        "results/logs/train_model/{model}.log",
    conda:
        ENV
    threads: 1
    params:
        code=code("train_model.py"),
        settings=lambda wildcards: config["models"][wildcards.model],
    script:
        "../scripts/train_model.py"
