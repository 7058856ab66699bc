"""Train one configured model; save its parameters, loss history and metrics."""

from threadpoolctl import threadpool_limits

from odds_to_softmax.artifacts import configure_logging, write_csv, write_json
from odds_to_softmax.data import load_split
from odds_to_softmax.models import save_model
from odds_to_softmax.training import train_configured_model

configure_logging(snakemake.log[0])
split = load_split(snakemake.input[0])
# log_every is read from the config, not params: how often to log changes no result.
with threadpool_limits(limits=snakemake.threads):
    model, split, metrics = train_configured_model(
        split, snakemake.params.settings, snakemake.config["log_every"]
    )
save_model(snakemake.output.model, model, split.feature_names)
write_csv(snakemake.output.history, model.history_)
write_json(snakemake.output.metrics, metrics)
