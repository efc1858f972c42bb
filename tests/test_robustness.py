"""Robustness beyond the corpus (tests/test_inputs.py): what needs a live socket or a run first.

A Dask scheduler address where something that is not Dask listens; ``figures --out`` replacing only the
figures it wrote; ``serve SCENARIO --set`` telling the page what it opens on.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.cli import main
from sim.sweep import SweepError
from sim.sweep.execute import probe_scheduler

INPUTS = Path(__file__).parent / "inputs"
FIG_EXP = INPUTS / "_base" / "fig_experiment.yaml"


def _server(reply: bytes | None) -> Iterator[int]:
    """A TCP server on a free port that sends ``reply`` to each connection (None: says nothing)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    conns: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            conns.append(c)
            if reply is not None:
                c.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()
        for c in conns:
            c.close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    yield from _server(None)


@pytest.fixture
def http_port() -> Iterator[int]:
    yield from _server(b"HTTP/1.0 426 Upgrade Required\r\n\r\n")


def test_a_scheduler_that_says_nothing_is_an_error_not_a_hang(silent_port: int) -> None:
    with pytest.raises(SweepError, match=r"no answer within 0.5 s"):
        probe_scheduler(f"tcp://127.0.0.1:{silent_port}", timeout=0.5)


def test_a_web_server_is_not_taken_for_a_scheduler(http_port: int) -> None:
    # Dask would read "HTTP/1.0" as the length of a message and try to allocate 3 EiB
    with pytest.raises(SweepError, match="not a Dask scheduler"):
        probe_scheduler(f"tcp://127.0.0.1:{http_port}", timeout=2)


def test_nothing_listening_and_unknown_hosts_are_errors() -> None:
    with socket.socket() as s:  # a port that was free a moment ago, now closed: refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SweepError, match="cannot connect"):
        probe_scheduler(f"127.0.0.1:{port}")
    with pytest.raises(SweepError, match="unknown host"):
        probe_scheduler("tcp://no-such-host.invalid:8786")
    probe_scheduler("ucx://somewhere:1")  # other protocols are left to Dask


def _figures(*args: str) -> int:
    return main(["figures", str(FIG_EXP), "-j", "1", "-q", *args])


def test_figures_out_replaces_only_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results, out = tmp_path / "results", tmp_path / "gallery"
    assert _figures("--results", str(results), "--out", str(out)) == 0
    record = json.loads((out / "manifest.json").read_text())
    assert record["kind"] == "figures" and set(record["files"]) == {"corpus_outcomes.png", "corpus_outcomes.svg"}
    assert _figures("--results", str(results), "--out", str(out)) == 0  # its own figures: replaced
    # a figure the user changed is no longer Liptako's: refused, even with --force
    (out / "corpus_outcomes.svg").write_text("<svg>my edit</svg>")
    assert _figures("--results", str(results), "--out", str(out), "--force") == 2
    assert "corpus_outcomes.svg would be replaced" in capsys.readouterr().err
    assert (out / "corpus_outcomes.svg").read_text() == "<svg>my edit</svg>"


def test_figures_out_beside_a_users_files_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results, out = tmp_path / "results", tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert _figures("--results", str(results), "--out", str(out)) == 2
    assert "holds files that Liptako did not write there (notes.txt)" in capsys.readouterr().err
    assert not results.exists()  # refused before the sweep ran
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert _figures("--results", str(results), "--out", str(out), "--force") == 0
    assert (out / "notes.txt").read_text() == "keep me" and (out / "corpus_outcomes.png").is_file()
    (out / "corpus_outcomes.png").unlink()
    (out / "corpus_outcomes.png").write_bytes(b"a user's picture")  # not the one recorded
    assert _figures("--results", str(results), "--out", str(out), "--force") == 2
    assert (out / "corpus_outcomes.png").read_bytes() == b"a user's picture"


def test_figures_refuses_a_results_directory_of_the_users(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    results = tmp_path / "results"
    (results / "corpus_fig").mkdir(parents=True)
    (results / "corpus_fig" / "manifest.json").write_text("{not json")  # corrupted: not Liptako's any more
    assert _figures("--results", str(results)) == 2
    assert f"--results {results / 'corpus_fig'}" in capsys.readouterr().err
    assert [p.name for p in (results / "corpus_fig").iterdir()] == ["manifest.json"]


def test_serve_tells_the_page_which_scenario_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.viz.lessons import SERVED_ENV, build, list_lessons

    scen = (INPUTS / "_base" / "scenario.yaml").resolve()
    monkeypatch.setenv(SERVED_ENV, json.dumps({"scenario": str(scen),
                                               "set": ["parameters.council.launch_p_win=0.9"]}))
    first = list_lessons()[0]
    assert first.path == scen
    s, entry, _ = build(first.title)
    assert entry.path == scen and s.parameters.council.launch_p_win == 0.9
    other, _, _ = build(list_lessons()[1].title)
    assert other.parameters.council.launch_p_win != 0.9  # the overrides are for the served scenario only


@pytest.fixture(scope="module")
def sweep_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sweep") / "r"
    assert main(["sweep", str(INPUTS / "_base" / "experiment.yaml"), "--executor", "serial", "--out", str(out),
                 "-q"]) == 0
    return out


def _copy(src: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(src, tmp_path / "r")
    return tmp_path / "r"


def _names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


@pytest.mark.parametrize("change, needle", [
    ({"design": "grid"}, "manifest.json: design: not a sweep's design"),
    ({"design": None}, "manifest.json: design: not a sweep's design"),
    ({"outcomes": "intervention"}, "manifest.json: outcomes: not a list"),
])
def test_analyze_refuses_a_tampered_manifest(sweep_results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             change: dict[str, object], needle: str) -> None:
    r = _copy(sweep_results, tmp_path)
    m = json.loads((r / "manifest.json").read_text())
    m.update(change)
    (r / "manifest.json").write_text(json.dumps(m))
    before = _names(r)
    assert main(["analyze", str(r)]) == 2
    assert needle in capsys.readouterr().err
    assert _names(r) == before


@pytest.mark.parametrize("target", ["war_weeks>>3", "nonexistent>3", "max_escalation"])
def test_analyze_checks_prim_targets_before_writing(sweep_results: Path, tmp_path: Path, target: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    r = _copy(sweep_results, tmp_path)
    before = _names(r)
    assert main(["analyze", str(r), "--prim", target, "--resamples", "10"]) == 2
    assert f"--prim '{target}'" in capsys.readouterr().err
    assert _names(r) == before  # point_means.csv and the rest were written before the check


def test_analyze_of_a_sweep_without_finished_runs(sweep_results: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    r = _copy(sweep_results, tmp_path)
    shutil.rmtree(r / "parts")
    assert main(["analyze", str(r)]) == 2
    assert "no finished runs to analyse" in capsys.readouterr().err
    assert "point_means.csv" not in _names(r)


def test_history_runs_again_into_its_own_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # scores.csv and loo.csv are Liptako's own: a second run (or --resume) into the same --out is not refused
    args = ["history", str(INPUTS / "_episodes"), "-n", "2", "-j", "1", "-q", "--calibration", "none",
            "--out", str(tmp_path / "h")]
    assert main(args) == 0
    assert "scores.csv" in _names(tmp_path / "h")
    assert main(args) == 0
    assert main([*args, "--resume"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("command", [["run", str(INPUTS / "_base" / "scenario.yaml")],
                                     ["sweep", str(INPUTS / "_base" / "experiment.yaml")],
                                     ["figures", str(FIG_EXP)]])
def test_an_empty_out_is_refused_not_read_as_the_current_directory(command: list[str], tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as e:
        main([*command, "--out", ""])
    assert e.value.code == 2 and "--out: an empty path" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_no_more_workers_than_runs() -> None:
    from sim.sweep.execute import open_executor

    with open_executor("local", 8, runs=2) as handle:
        assert handle.workers == 2
    with open_executor("local", 8, runs=1) as handle:
        assert handle.workers == 1 and handle.label == "serial"


def _first(r: Path, folder: str) -> Path:
    return sorted((r / "parts" / folder).iterdir())[0]


@pytest.mark.parametrize("damage", ["part", "marker", "schema"])
def test_resume_runs_a_damaged_chunk_again(sweep_results: Path, tmp_path: Path, damage: str) -> None:
    import pandas as pd

    from sim.sweep import load_results

    r = _copy(sweep_results, tmp_path)
    if damage == "part":
        _first(r, "outcomes").write_bytes(b"garbage")
    elif damage == "marker":
        _first(r, "done").write_text("{")
    else:
        pd.DataFrame({"x": [1]}).to_parquet(_first(r, "outcomes"))
    exp = str(INPUTS / "_base" / "experiment.yaml")
    assert main(["sweep", exp, "--resume", "--out", str(r), "--executor", "serial", "-q"]) == 0
    got, ref = load_results(r).outcomes, load_results(sweep_results).outcomes
    pd.testing.assert_frame_equal(got, ref)


def test_resume_with_a_damaged_plan_table_is_refused(sweep_results: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    r = _copy(sweep_results, tmp_path)
    (r / "runs.parquet").write_bytes(b"x")
    before = {p.name: p.stat().st_mtime_ns for p in r.rglob("*")}
    exp = str(INPUTS / "_base" / "experiment.yaml")
    assert main(["sweep", exp, "--resume", "--out", str(r), "--executor", "serial", "-q"]) == 2
    assert "runs.parquet is damaged" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in r.rglob("*")} == before


def test_extends_and_scenario_through_a_loop_of_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "l1.yaml").symlink_to(tmp_path / "l2.yaml")
    (tmp_path / "l2.yaml").symlink_to(tmp_path / "l1.yaml")
    (tmp_path / "a.yaml").write_text("extends: l1.yaml\n")
    (tmp_path / "e.yaml").write_text("name: e\nscenario: l2.yaml\nseed: 1\nparameters:\n  name: [x]\n"
                                     "design: {kind: grid}\n")
    assert main(["validate", str(tmp_path / "a.yaml"), str(tmp_path / "e.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'a.yaml'}:1: extends: cannot open (Too many levels of symbolic links)" in err
    assert f"{tmp_path / 'e.yaml'}:2: scenario: cannot open (Too many levels of symbolic links)" in err


def test_replacing_results_keeps_a_users_file_inside_figures(tmp_path: Path) -> None:
    from sim.store import remove_own

    out = tmp_path / "r"
    (out / "figures").mkdir(parents=True)
    (out / "manifest.json").write_text("{}")
    for n in ("outcomes.png", "outcomes.svg", "manifest.json", ".manifest.json.ab.tmp"):
        (out / "figures" / n).write_text("x")
    (out / "figures" / "my_notes.txt").write_text("keep me")
    remove_own(out)
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["my_notes.txt"]
    assert not (out / "manifest.json").exists()
    (out / "figures" / "my_notes.txt").unlink()
    remove_own(out)  # nothing of the user's left: the folder goes too
    assert not (out / "figures").exists()
