"""The page's "odds across many runs": an ensemble of the current settings and of a second one, side by side.

One run is one story; the class asks "how likely?". The panel runs :data:`RUNS_PER_SETTING` runs of the
lesson as the page has it (lesson, switches, seed) and as many of a second setting (the same with one switch
changed, :data:`COMPARISONS`), through the project's one run engine (:func:`sim.run_ensemble`) on a pool of
worker processes, so the page's own process stays free to answer the browser. It shows, for each setting,
the share of runs in which the lesson's bloc reached each rung of the ladder against the lesson's target
(``max_escalation``) and used force (``intervention``), each with its 95% Wilson interval
(:func:`sim.stats.wilson_interval`).
"""

from __future__ import annotations

import atexit
import dataclasses
import html
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

from sim.enums import Rung
from sim.palette import PAGE_COLORS
from sim.stats import wilson_interval
from sim.viz.lessons import Switches, build

__all__ = ["COMPARISONS", "RUNS_PER_SETTING", "Odds", "compare", "odds_html", "pool", "shutdown_pool"]

RUNS_PER_SETTING = 100  # runs of each setting: 200 in all, about 15 s on two cores

# The second setting: the page's switches with one change, label -> function of the page's switches.
COMPARISONS: dict[str, Callable[[Switches], Switches]] = {
    "without the charter": lambda s: dataclasses.replace(s, charter=False),
    "charter Art. 6 as no duty at all": lambda s: dataclasses.replace(s, art6_bindingness=0.0),
    "Nigeria free to go to war": lambda s: dataclasses.replace(s, nigeria_constraint=0.0),
    "Nigeria: war ruled out at home": lambda s: dataclasses.replace(s, nigeria_constraint=1.0),
    "France stays": lambda s: dataclasses.replace(s, france_stays=True),
}

_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def pool() -> Executor:
    """The page's worker processes (two, started once and shared by every browser tab).

    They are started with ``spawn`` (not ``fork``): the server has threads, and a forked copy of a
    threaded process can hang.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(shutdown_pool)
        return _POOL


def shutdown_pool(wait: bool = False) -> None:
    """Stop the workers (at exit; ``wait`` for them to end, as the benchmark does to count their CPU time)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=wait, cancel_futures=True)
            _POOL = None


def _warm() -> int:
    import sim.sweep.worker  # noqa: F401  (imports the model once per worker process)

    return 0


def warm_pool() -> None:
    """Start the workers and import the model in them, so the first ensemble does not wait for it."""
    ex = pool()
    for _ in range(2):
        ex.submit(_warm)


@dataclass(frozen=True)
class Odds:
    """One setting's ensemble: how many runs reached each rung (1..6) and used force."""

    label: str
    runs: int
    reached: tuple[int, ...]  # reached[r - 1]: runs whose highest rung was >= r
    force: int

    def interval(self, k: int) -> tuple[float, float, float]:
        """(share, low, high) of ``k`` runs out of :attr:`runs`."""
        lo, hi = wilson_interval(k, self.runs)
        return (k / self.runs if self.runs else 0.0), lo, hi


def ensemble_odds(label: str, lesson: str, switches: Switches, seed: int, runs: int,
                  executor: Executor | None, progress: Callable[[int], None] | None = None) -> Odds:
    """Run ``runs`` runs of ``lesson`` with ``switches`` and count the rungs reached and the interventions."""
    import sim

    scenario, _entry, _applied = build(lesson, switches)
    res = sim.run_ensemble(scenario, replicates=runs, seed=seed, jobs=1 if executor is None else None,
                           timeline=False, events=False, executor=executor, progress=progress,
                           chunk_size=5)
    top = res.outcomes["max_escalation"].fillna(0).astype(int)
    reached = tuple(int((top >= r).sum()) for r in range(1, len(Rung)))
    force = int(res.outcomes["intervention"].fillna(False).astype(bool).sum())
    return Odds(label, len(res.outcomes), reached, force)


def compare(lesson: str, switches: Switches, seed: int, second: str, runs: int = RUNS_PER_SETTING,
            executor: Executor | None = None, progress: Callable[[int, int], None] | None = None
            ) -> tuple[Odds, Odds]:
    """The lesson as set on the page, and the same with the change ``second`` (a key of COMPARISONS).

    ``progress`` is called with (runs done, runs planned) as chunks finish.
    """
    done = [0]
    total = 2 * runs

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], total)

    first = ensemble_odds("as set on the page", lesson, switches, seed, runs, executor, tick)
    other = ensemble_odds(second, lesson, COMPARISONS[second](switches), seed, runs, executor, tick)
    return first, other


RUNG_WORDS = ["condemn", "suspend", "sanctions", "ultimatum", "standby force", "force"]


def _bar(share: float, lo: float, hi: float, color: str) -> str:
    """A horizontal bar of ``share`` with its interval as a whisker, 0-100%."""
    return (f'<div style="position:relative;height:16px;background:#f2f2f2;border-radius:3px">'
            f'<div style="position:absolute;left:0;top:0;bottom:0;width:{100 * share:.1f}%;background:{color}">'
            f'</div><div style="position:absolute;top:7px;height:2px;left:{100 * lo:.1f}%;'
            f'width:{100 * max(0.0, hi - lo):.1f}%;background:#000"></div></div>')


def odds_html(a: Odds, b: Odds, bloc: str, target: str) -> str:
    """Two columns of bars (one per setting): P(reached each rung) and P(force), with 95% intervals."""
    colors = (PAGE_COLORS["odds_a"], PAGE_COLORS["odds_b"])

    def row(name: str, ka: int, kb: int) -> str:
        cells = []
        for o, k, c in ((a, ka, colors[0]), (b, kb, colors[1])):
            p, lo, hi = o.interval(k)
            cells.append(f'<td style="width:37%;padding:2px 4px">{_bar(p, lo, hi, c)}'
                         f'<div class="liptako-interval" style="font-size:13px">{100 * p:.0f}% '
                         f'<span style="color:#555">(95%: {100 * lo:.0f}–{100 * hi:.0f}%)</span></div></td>')
        return f'<tr><th style="text-align:left;font-weight:400;padding-right:4px">{html.escape(name)}</th>' \
               + "".join(cells) + "</tr>"

    rows = [row(f"reached {w}", a.reached[i], b.reached[i]) for i, w in enumerate(RUNG_WORDS)]
    rows.append(row("used force (P(force))", a.force, b.force))
    head = "".join(f'<th style="text-align:left;padding:2px 4px"><span style="display:inline-block;width:12px;'
                   f'height:12px;background:{c};margin-right:4px"></span>{html.escape(o.label)} '
                   f'<span style="font-weight:400;color:#555">({o.runs} runs)</span></th>'
                   for o, c in ((a, colors[0]), (b, colors[1])))
    return (f'<div class="liptako-odds-result" style="font-size:14px"><div style="margin-bottom:4px">'
            f'Share of runs in which {html.escape(bloc)} reached each rung against {html.escape(target)}; '
            'the black line is the 95% interval.</div>'
            f'<table style="width:100%;border-collapse:collapse;table-layout:fixed"><tr><th style="width:26%">'
            f'</th>{head}</tr>{"".join(rows)}</table></div>')
