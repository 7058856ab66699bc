"""Collect every trained model's metrics.json into one table."""

from odds_to_softmax.artifacts import (
    METRICS_KEYS,
    configure_logging,
    read_json,
    write_csv,
    write_html_table,
)
from odds_to_softmax.training import metrics_table

configure_logging(snakemake.log[0])
metrics = {
    name: read_json(path, keys=METRICS_KEYS)
    for name, path in zip(snakemake.params.models, snakemake.input, strict=True)
}
table = metrics_table(metrics)
# Shortest round-trip repr: the table is rounded for reading.
write_csv(snakemake.output.table, table, float_format=None)
write_html_table(snakemake.output.page, table, "Metrics of every trained model")
