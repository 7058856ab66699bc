"""Train one model at one learning rate of the sweep; save its loss history."""

from threadpoolctl import threadpool_limits

from odds_to_softmax.artifacts import configure_logging, write_csv
from odds_to_softmax.data import load_split
from odds_to_softmax.training import train_configured_model

configure_logging(snakemake.log[0])
split = load_split(snakemake.input[0])
# log_every comes from the config, not params: how often to log changes no result.
with threadpool_limits(limits=snakemake.threads):
    model, split, metrics = train_configured_model(
        split, snakemake.params.settings, snakemake.config["log_every"]
    )
write_csv(snakemake.output[0], model.history_)
