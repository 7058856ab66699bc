"""Figure: softmax with two classes against logistic regression at twice the rate."""

from threadpoolctl import threadpool_limits

from odds_to_softmax.artifacts import configure_logging
from odds_to_softmax.data import load_split
from odds_to_softmax.figures import apply_style, plot_bridge, save_figure
from odds_to_softmax.training import train_bridge_pair

configure_logging(snakemake.log[0])
apply_style()
params = snakemake.params
split = load_split(snakemake.input[0])
with threadpool_limits(limits=snakemake.threads):
    softmax_model, logistic_model = train_bridge_pair(
        split, params.learning_rate, params.epochs
    )
figure = plot_bridge(softmax_model, logistic_model, split)
save_figure(figure, snakemake.output[0], params.dpi)
