"""How long one week takes on the instructor's page, with every panel redrawn (target: <= 200 ms at the
median), and how long the "odds across many runs" panel takes for its 200 runs (target: <= 15 s) while
the page keeps stepping.

The page is rendered with ``solara.render`` as a browser session builds it (the lesson panels, the
controls above them instead of in a sidebar); the STEP button is clicked, which steps the model and
re-renders every component. Three figures are timed, for the Niger lesson (and the Sahel rebellion
lesson, whose timeline is the largest) at weeks 1-40:

- typical step: as on the page, figures whose picture did not change come from the cache;
- every figure drawn: the figure cache is cleared before each click (the worst case, as when a
  war starts and the map, the network and the forces all change in the same week);
- model alone: ``model.step()`` without the page, for scale.

Each is printed as wall-clock time and as this process's CPU time (``time.process_time``): on a machine
busy with other work the wall clock also counts the waits for a core, the CPU time does not. The load
average is printed alongside.

The ensemble: the panel's own call (:func:`sim.viz.odds.compare`, 100 runs of the Niger lesson and 100
without the charter, on the page's pool of two worker processes, started and warmed first as the page
does when it opens) timed wall-clock, while this process keeps clicking STEP on the page: the median
step during the ensemble shows whether the page stays responsive.

Usage: .venv/bin/python benchmarks/bench_viz.py [--weeks N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import time

import ipyvuetify as v
import solara

from sim.viz import components as C
from sim.viz.app import Classroom
from sim.viz.classroom import ClassroomModel
from sim.viz.lessons import list_lessons

TARGET_MS = 200.0
ENSEMBLE_TARGET_S = 15.0


def _page_for(lesson_title: str) -> tuple[object, object]:
    with contextlib.redirect_stdout(io.StringIO()):  # Solara prints the app bar it moves into the layout
        _box, rc = solara.render(Classroom(in_sidebar=False), handle_error=False)
    select = rc.find(v.Select, label="Lesson")
    select.widget.v_model = lesson_title
    rc.find(v.Btn, children=["Reset"]).widget.click()
    return _box, rc


Times = tuple[list[float], list[float]]  # wall-clock ms, CPU ms


def time_steps(lesson_title: str, weeks: int, cold: bool) -> Times:
    """Milliseconds per click on STEP (model step + every component re-rendered)."""
    _box, rc = _page_for(lesson_title)
    step = rc.find(v.Btn, children=["Step"]).widget
    wall, cpu = [], []
    with contextlib.redirect_stdout(io.StringIO()):
        for _ in range(weeks):
            if cold:
                C.clear_figure_cache()
            t0, c0 = time.perf_counter(), time.process_time()
            step.click()
            wall.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
        rc.close()
    return wall, cpu


def time_model(lesson_stem: str, weeks: int) -> Times:
    m = ClassroomModel(lesson=lesson_stem, seed=7)
    wall, cpu = [], []
    for _ in range(weeks):
        t0, c0 = time.perf_counter(), time.process_time()
        m.step()
        wall.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
    return wall, cpu


def _line(label: str, t: Times) -> str:
    wall, cpu = t
    q = statistics.quantiles(wall, n=20)
    return (f"  {label:28s} wall: median {statistics.median(wall):6.1f} ms, 95th pct {q[18]:6.1f} ms, "
            f"max {max(wall):6.1f} ms   CPU: median {statistics.median(cpu):6.1f} ms")


def time_ensemble(lesson_title: str) -> tuple[float, float, list[float]]:
    """(seconds for the 200 runs, of which seconds before the first chunk came back, step times meanwhile)."""
    import threading

    from sim.viz.lessons import Switches
    from sim.viz.odds import compare, pool, warm_pool

    warm_pool()
    pool().submit(int).result()  # the workers exist (the page starts them when it opens)
    _box, rc = _page_for(lesson_title)
    step = rc.find(v.Btn, children=["Step"]).widget
    first: list[float] = []
    t0 = time.perf_counter()

    def tick(done: int, total: int) -> None:
        if not first:
            first.append(time.perf_counter() - t0)

    result: list[float] = []

    def run() -> None:
        compare("01_niger_2023_charter", Switches(), 7, "without the charter", executor=pool(), progress=tick)
        result.append(time.perf_counter() - t0)

    th = threading.Thread(target=run)
    th.start()
    steps: list[float] = []
    with contextlib.redirect_stdout(io.StringIO()):
        while th.is_alive():
            t1 = time.perf_counter()
            step.click()
            steps.append(1000 * (time.perf_counter() - t1))
            time.sleep(0.4)  # the page's normal speed
    th.join()
    rc.close()
    return result[0], first[0] if first else float("nan"), steps


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weeks", type=int, default=40, help="weeks to step per measurement (default 40)")
    ap.add_argument("--no-ensemble", action="store_true", help="skip the 200-run ensemble")
    args = ap.parse_args()
    lessons = {e.path.stem: e.title for e in list_lessons() if e.lesson is not None}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    worst_wall = worst_cpu = 0.0
    for stem in ("01_niger_2023_charter", "04_sahel_rebellion_insurgency"):
        if stem not in lessons:
            continue
        time_steps(lessons[stem], 2, cold=False)  # warm up imports, fonts and the outline file
        typical = time_steps(lessons[stem], args.weeks, cold=False)
        cold = time_steps(lessons[stem], args.weeks, cold=True)
        model = time_model(stem, args.weeks)
        print(f"{lessons[stem]} (weeks 1-{args.weeks}):")
        print(_line("typical step, all panels", typical))
        print(_line("every figure drawn afresh", cold))
        print(_line("model.step() alone", model))
        worst_wall = max(worst_wall, statistics.median(cold[0]))
        worst_cpu = max(worst_cpu, statistics.median(cold[1]))
    verdict = "meets" if worst_wall <= TARGET_MS else "MISSES"
    print(f"median step with every figure drawn afresh: {worst_wall:.0f} ms wall-clock ({verdict} the "
          f"{TARGET_MS:.0f} ms target), {worst_cpu:.0f} ms CPU")
    if not args.no_ensemble:
        import resource

        from sim.viz.odds import shutdown_pool

        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        secs, first, steps = time_ensemble(lessons["01_niger_2023_charter"])
        shutdown_pool(wait=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        verdict = "meets" if secs <= ENSEMBLE_TARGET_S else "MISSES"
        print(f"ensemble panel: 200 runs (100 + 100) in {secs:.1f} s wall-clock ({verdict} the "
              f"{ENSEMBLE_TARGET_S:.0f} s target; first results after {first:.1f} s; load average {load:.1f})")
        print(f"  the two workers' CPU time, their start-up included: {workers_cpu:.1f} s, i.e. about "
              f"{workers_cpu / 2:.1f} s of wall-clock on two otherwise idle cores")
        print(f"  the page meanwhile: {len(steps)} steps, median {statistics.median(steps):.0f} ms, "
              f"max {max(steps):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
