"""Figure: odds and log-odds against the probability, with marked probabilities."""

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.figures import apply_style, plot_odds_and_log_odds, save_figure

configure_logging(snakemake.log[0])
apply_style()
figure = plot_odds_and_log_odds(snakemake.params.marks)
save_figure(figure, snakemake.output[0], snakemake.params.dpi)
