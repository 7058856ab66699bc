# odds-to-softmax: rebuilds every figure of the essay from real data.
# Run from this folder: snakemake --cores all  (settings: config/config.yaml)
# Then the report: snakemake --report results/report.html


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/training.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/beyond.smk"


rule all:
    default_target: True
    input:
        FIGURES,
        BEYOND_FIGURES,
        expand("results/models/{model}/metrics.json", model=config["models"]),
        # Listed so that a history lost with a failed job is trained again.
        SWEEP_HISTORIES,
        "results/metrics.csv",
        "results/metrics.html",
