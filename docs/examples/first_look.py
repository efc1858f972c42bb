"""A first look at three kinds of results, notebook style, using only the names in ``sim.__all__``.

    python docs/examples/first_look.py ENSEMBLE_DIR SWEEP_DIR HISTORY_DIR [OUT_DIR]

Each directory is the output of ``run.py run``, ``run.py sweep`` and ``run.py history``; the defaults are
``results/niger_2023``, ``results/deterrence_grid`` and ``results/history``. One figure of each is saved in
OUT_DIR (default: the current directory). ``tests/test_docs_examples.py`` runs it on small results, and
``benchmarks/bench_analysis.py`` times it.
"""

import sys
from pathlib import Path

import sim

args = sys.argv[1:]
ensemble_dir, sweep_dir, history_dir = (args + ["results/niger_2023", "results/deterrence_grid",
                                                "results/history"][len(args):])[:3]
out = Path(args[3]) if len(args) > 3 else Path(".")

# In a notebook, each block below is a cell.

# 1. An ensemble: many runs of one scenario.
ens = sim.load_results(ensemble_dir)
k, n = int(ens.outcomes["intervention"].sum()), len(ens.outcomes)
print(f"ensemble: {n} runs, P(intervention) = {sim.format_probability(k, n)}")
sim.plot_results(ens).savefig(out / "ensemble.png")

# 2. A sweep: runs over a design of parameter values.
sweep = sim.load_results(sweep_dir)
varied = list(sweep.manifest["parameters"])
print(f"sweep: {len(sweep.outcomes)} runs over {', '.join(varied)}")
sim.plot_results(sweep, outcome="intervention", x=varied[0]).savefig(out / "sweep.png")

# 3. A history check: each past episode run many times.
hist = sim.load_results(history_dir)
print(f"history: {hist.outcomes['point'].nunique()} episodes, {len(hist.outcomes)} runs")
sim.plot_results(hist, outcome="intervention").savefig(out / "history.png")
