"""Load one bundled dataset, split and standardize it, save it as .npz."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.data import load_bundled, save_split, split_and_standardize

configure_logging(snakemake.log[0])
params = snakemake.params
dataset = load_bundled(params.loader)
split = split_and_standardize(dataset, params.test_fraction, params.seed)
save_split(snakemake.output[0], split)
