"""The README's commands are the ones CI runs."""

import re

from conftest import REPO, run_snakemake


def _shell_blocks():
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def test_ci_runs_the_readmes_test_command():
    test_command = next(block.strip() for block in _shell_blocks() if "pytest" in block)
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


def test_the_readmes_run_command_runs_the_workflow():
    run_command = _shell_blocks()[0].strip()
    assert run_command.endswith("snakemake --cores all")
    assert "pip install -r requirements.txt -e ." in run_command


def _rule_graph(text):
    """A Mermaid rule graph as (other lines, rules with their styles, edges).

    Snakemake numbers the nodes and orders the edges as its sets happen to iterate,
    so only the numbering and the order are dropped: rules, colours and edges stay.
    """
    names, styles, edges, other = {}, {}, set(), []
    for line in text.strip().splitlines():
        line = line.strip()
        if node := re.fullmatch(r"(id\d+)\[(.+)\]", line):
            names[node.group(1)] = node.group(2)
        elif style := re.fullmatch(r"style (id\d+) (.+)", line):
            styles[style.group(1)] = style.group(2)
        elif edge := re.fullmatch(r"(id\d+) --> (id\d+)", line):
            edges.add(edge.groups())
        else:
            other.append(line)
    rules = {names[node]: styles.get(node) for node in names}
    edges = {(names[source], names[target]) for source, target in edges}
    return other, rules, edges


def test_the_readmes_diagram_is_the_workflows_rule_graph(tmp_path):
    text = (REPO / "README.md").read_text()
    diagrams = re.findall(r"```mermaid\n(.*?)```", text, flags=re.DOTALL)
    assert len(diagrams) == 1
    process = run_snakemake(tmp_path, "--rulegraph", "mermaid-js")
    documented = _rule_graph(diagrams[0])
    generated = _rule_graph(process.stdout)
    assert documented[0] == generated[0]
    assert documented[1] == generated[1]
    assert documented[2] == generated[2]
    assert "plot_learning_rate_sweep" in generated[1]
