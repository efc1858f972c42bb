"""The results store without a simulation: sim.store (where results may go, atomic writes, hashes) and
sim.sweep.store (chunks, the done markers, resume's clean-up, the one loader) on tables written here.

The sweeps of tests/test_sweep.py check the same through the run engine, but they take minutes; these take
a second, so scripts/mutation.py runs them per mutant (written against the mutants it found alive).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from sim import store as S
from sim.scenario.errors import OutputError
from sim.sweep.execute import SweepError
from sim.sweep.store import NoResultsError, Results, SweepStore, combine, load_results
from sim.sweep.worker import ChunkResult

RUNS = pd.DataFrame({"run_id": [0, 1, 2, 3], "point": [0, 0, 1, 1], "replicate": [0, 1, 0, 1],
                     "seed": [11, 12, 13, 14]})
POINTS = pd.DataFrame({"point": [0, 1], "x": [0.1, 0.9]})
EMPTY = pd.DataFrame()


def chunk(i: int, ids: list[int], failed: tuple[int, ...] = (), weeks: int | None = None) -> ChunkResult:
    ok = [r for r in ids if r not in failed]
    outcomes = pd.DataFrame({"run_id": ok, "intervention": [r % 2 == 0 for r in ok],
                             "intervention_week": pd.array([weeks] * len(ok), dtype="Int64")})
    events = pd.DataFrame({"run_id": ok, "text": [f"event of run {r}" for r in ok]})
    failures = (pd.DataFrame({"run_id": list(failed), "error": ["ValueError"] * len(failed)}) if failed
                else EMPTY)
    return ChunkResult(i, ids, outcomes if ok else EMPTY, EMPTY, EMPTY, events if ok else EMPTY, failures,
                       seconds=1.23456, pid=77)


def new_store(root: Path, **kw) -> SweepStore:
    return SweepStore.create(root, {"kind": "sweep", "runs": 4}, POINTS, RUNS, **kw)


# --- sim.store --------------------------------------------------------------------------------------


def test_own_names_and_their_temporary_files() -> None:
    assert S.is_own_name("manifest.json") and S.is_own_name("parts")
    assert S.is_own_name(".manifest.json.ab12.tmp") and S.is_own_name(".runs.parquet.x.tmp")
    assert not S.is_own_name("notes.txt") and not S.is_own_name(".notes.txt.x.tmp")
    assert not S.is_own_name(".manifest.json.x")  # not a temporary file
    assert not S.is_own_name("manifest.json.tmp")  # no leading dot: not ours


def test_results_manifest(tmp_path: Path) -> None:
    assert S.results_manifest(tmp_path) is None
    (tmp_path / "manifest.json").write_text('{"kind": "history", "x": 1}')
    assert S.results_manifest(tmp_path) == {"kind": "history", "x": 1}
    for text in ('{"kind": "poem"}', "[1, 2]", "not json", '{"x": 1}'):
        (tmp_path / "manifest.json").write_text(text)
        assert S.results_manifest(tmp_path) is None, text


def test_check_out_allows_new_empty_and_own(tmp_path: Path) -> None:
    assert S.check_out(tmp_path / "new" / "deeper", "sweep") is None
    assert not (tmp_path / "new").exists()  # only a probe, removed
    assert S.check_out(tmp_path, "sweep") is None
    (tmp_path / "manifest.json").write_text('{"kind": "sweep"}')
    (tmp_path / "runs.parquet").write_text("x")
    (tmp_path / ".points.parquet.1.tmp").write_text("x")
    assert S.check_out(tmp_path, "sweep") == {"kind": "sweep"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".points.parquet.1.tmp", "manifest.json", "runs.parquet"]


def test_check_out_refuses_with_a_message(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("mine")
    with pytest.raises(OutputError, match=r"^--out .*file: is a file, not a directory; results go in a directory "
                                          r"of their own \(the file is left as it is\): give another --out$"):
        S.check_out(f, "sweep")
    with pytest.raises(OutputError, match=r"^--work .*file/sub: .*file is a file, not a directory$"):
        S.check_out(f / "sub", "sweep", flag="--work")
    assert f.read_text() == "mine"

    d = tmp_path / "d"
    d.mkdir()
    (d / "manifest.json").write_text('{"kind": "history"}')
    with pytest.raises(OutputError, match=r"holds the results of a history, not of a sweep; give another --out "
                                          r"\(or --force to replace them\)"):
        S.check_out(d, "sweep")
    assert S.check_out(d, "sweep", force=True) == {"kind": "history"}
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (d / name).write_text("user")
    with pytest.raises(OutputError, match=r"holds files that are not Liptako results \(a.txt, b.txt, c.txt and 1 "
                                          r"more\); give an empty or new directory, or pass --force"):
        S.check_out(d, "history")
    assert S.check_out(d, "history", force=True) == {"kind": "history"}

    u = tmp_path / "u"
    u.mkdir()
    (u / "a.txt").write_text("user")
    with pytest.raises(OutputError, match=r"holds files but no Liptako results \(a.txt\)"):
        S.check_out(u, "sweep")
    assert S.check_out(u, "sweep", force=True) is None
    (u / "runs.parquet").write_text("the user's own")
    with pytest.raises(OutputError, match=r"your runs.parquet would be replaced by the results; give another --out"):
        S.check_out(u, "sweep", force=True)


def test_check_out_refuses_a_place_it_cannot_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (a read-only directory would not do: the tests may run as root, who writes anywhere)
    import tempfile

    def refuse(*a, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    with pytest.raises(OutputError, match=r"^--out .*ro/x: cannot write in .*: Permission denied$"):
        S.check_out(tmp_path / "ro" / "x", "sweep")


def test_remove_own_keeps_everything_else(tmp_path: Path) -> None:
    (tmp_path / "parts" / "outcomes").mkdir(parents=True)
    (tmp_path / "parts" / "outcomes" / "part-000000.parquet").write_text("x")
    for name in ("manifest.json", "runs.parquet", "mine.txt", "history.csv"):
        (tmp_path / name).write_text("x")
    (tmp_path / "figures").symlink_to(tmp_path / "mine.txt")
    S.remove_own(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]
    assert (tmp_path / "mine.txt").read_text() == "x"


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    p = tmp_path / "a" / "b.bin"
    S.atomic_write_bytes(p, b"one")
    S.atomic_write_bytes(p, b"two")
    assert p.read_bytes() == b"two" and os.listdir(p.parent) == ["b.bin"]
    assert oct(p.stat().st_mode & 0o777) == "0o644"

    with pytest.raises(TypeError):
        S.atomic_write_bytes(p, "text, not bytes")  # type: ignore[arg-type]
    assert p.read_bytes() == b"two" and os.listdir(p.parent) == ["b.bin"]


def test_tables_round_trip_and_hash(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [1, 2], "w": pd.array([3, None], dtype="Int64"), "x": [0.5, 1 / 3]})
    S.write_table(df, tmp_path / "t.parquet")
    back = S.read_table(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(back, df)
    assert list(back.columns) == ["a", "w", "x"]  # no index column
    want = hashlib.sha256(b"a,w,x\n1,3,0.5\n2,,0.3333333333\n").hexdigest()
    assert S.table_hash(df) == want
    assert S.file_sha256(tmp_path / "t.parquet") == hashlib.sha256((tmp_path / "t.parquet").read_bytes()).hexdigest()
    S.write_json({"b": 1, "a": [1]}, tmp_path / "m.json")
    assert (tmp_path / "m.json").read_text() == '{\n  "a": [\n    1\n  ],\n  "b": 1\n}\n'


def test_provenance_names_commit_versions_and_what_ran(tmp_path: Path) -> None:
    p = S.provenance(["run.py", "sweep"])
    assert p["command"] == ["run.py", "sweep"]
    assert set(p) == {"liptako_version", "git", "versions", "command", "platform", "created"}
    assert p["versions"]["pandas"] == pd.__version__ and p["versions"]["python"].count(".") == 2
    assert set(p["git"]) == {"commit", "dirty"}
    assert S.git_state(tmp_path) == {"commit": None, "dirty": None}  # not a git checkout
    # a checkout made here: its commit, clean, then dirty once a tracked file changes
    import subprocess

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "f.txt").write_text("one")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    for cmd in (["git", "init", "-q"], ["git", "add", "f.txt"], ["git", "commit", "-q", "-m", "x"]):
        subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, env=env, capture_output=True,
                          text=True).stdout.strip()
    assert S.git_state(repo) == {"commit": head, "dirty": False} and len(head) == 40
    (repo / "f.txt").write_text("two")
    (repo / "untracked.txt").write_text("not counted")
    assert S.git_state(repo) == {"commit": head, "dirty": True}
    assert S.package_versions(["no-such-package-xyz"]) == {"no-such-package-xyz": None,
                                                           "python": p["versions"]["python"]}


def test_the_figures_record(tmp_path: Path) -> None:
    d = tmp_path / "figs"
    d.mkdir()
    a, b = d / "a.png", d / "b.svg"
    a.write_bytes(b"A")
    b.write_bytes(b"B")
    assert S.figures_record(d) == {} and S.own_figures(d) == set()
    S.record_figures(d, [a], extra={"experiment": "e"})
    doc = json.loads((d / "manifest.json").read_text())
    assert doc == {"kind": "figures", "note": "the figure files run.py figures wrote here; it replaces only these",
                   "files": {"a.png": hashlib.sha256(b"A").hexdigest()}, "experiment": "e"}
    S.record_figures(d, [b])  # added to the record, a.png kept
    assert S.figures_record(d) == {"a.png": hashlib.sha256(b"A").hexdigest(), "b.svg": hashlib.sha256(b"B").hexdigest()}
    assert S.own_figures(d) == {"a.png", "b.svg", "manifest.json"}
    a.write_bytes(b"changed by the user")
    assert S.own_figures(d) == {"b.svg", "manifest.json"}  # changed since: the user's now
    S.record_figures(d, [])
    assert S.figures_record(d) == {"b.svg": hashlib.sha256(b"B").hexdigest()}  # a changed file leaves the record
    (d / "c.png").write_bytes(b"C")
    (d / "link.png").symlink_to(d / "c.png")
    assert S.own_figures(d, legacy=["c.png", "link.png", "gone.png"]) == {"b.svg", "manifest.json", "c.png"}
    for text in ('{"kind": "sweep", "files": {"x": "y"}}', '{"kind": "figures", "files": [1]}', "nope",
                 '{"kind": "figures", "files": {"x": 3, "y": "z"}}'):
        (d / "manifest.json").write_text(text)
        assert S.figures_record(d) == ({"y": "z"} if '"y": "z"' in text else {}), text


def test_check_figures_out(tmp_path: Path) -> None:
    S.check_figures_out(tmp_path / "new", ["f.png"])  # a new directory
    assert not (tmp_path / "new").exists()
    d = tmp_path / "d"
    d.mkdir()
    S.check_figures_out(d, ["f.png"])  # an empty one
    f = d / "f.png"
    f.write_bytes(b"F")
    S.record_figures(d, [f])
    (d / ".f.png.x.tmp").write_bytes(b"half")
    S.check_figures_out(d, ["f.png", "g.svg"])  # only its own figures (and a temporary file)
    for name in ("u1.txt", "u2.txt", "u3.txt", "u4.txt"):
        (d / name).write_text("user")
    with pytest.raises(OutputError, match=r"^--out .*d: holds files that Liptako did not write there \(u1.txt, u2.txt, "
                                          r"u3.txt and 1 more\); give an empty or new directory, or pass --force to "
                                          r"write the figures beside them \(they are kept\)$"):
        S.check_figures_out(d, ["f.png"])
    S.check_figures_out(d, ["f.png"], force=True)
    with pytest.raises(OutputError, match=r"--figs .*d: your u1.txt would be replaced \(Liptako did not write it, "
                                          r"or it changed since\); give another --figs$"):
        S.check_figures_out(d, ["u1.txt"], force=True, flag="--figs")
    f.write_bytes(b"changed")
    with pytest.raises(OutputError, match=r"your f.png would be replaced"):
        S.check_figures_out(d, ["f.png"], force=True)
    (d / "legacy.png").write_bytes(b"L")
    S.check_figures_out(d, ["legacy.png"], force=True, legacy=["legacy.png"])
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "manifest.json").write_text("{}")  # not a figures record: the user's
    with pytest.raises(OutputError, match=r"your manifest.json would be replaced"):
        S.check_figures_out(plain, ["f.png"], force=True)
    with pytest.raises(OutputError, match=r"^--out .*f.png: is a file, not a directory \(it is left as it is\); "
                                          r"figures go in a directory: give another --out$"):
        S.check_figures_out(f, ["x.png"])


# --- sim.sweep.store --------------------------------------------------------------------------------


def test_create_writes_points_runs_experiment_and_manifest(tmp_path: Path) -> None:
    st = new_store(tmp_path / "r", experiment_text="name: e\n")
    assert sorted(p.name for p in st.root.iterdir()) == ["experiment.yaml", "manifest.json", "points.parquet",
                                                         "runs.parquet"]
    assert (st.root / "experiment.yaml").read_text() == "name: e\n"
    assert st.manifest() == {"kind": "sweep", "runs": 4}
    assert st.next_chunk_id() == 0 and st.finished() == (set(), set())


def test_create_refuses_results_and_foreign_files(tmp_path: Path) -> None:
    root = tmp_path / "r"
    new_store(root)
    (root / "mine.txt").write_text("user")
    with pytest.raises(SweepError, match=r"already holds results: pass --resume to continue that sweep or "
                                         r"--overwrite to start again"):
        new_store(root)
    st = new_store(root, overwrite=True)
    st.add_chunk(chunk(0, [0, 1]))
    st2 = new_store(root, overwrite=True)
    assert (root / "mine.txt").read_text() == "user" and st2.finished() == (set(), set())
    assert not (root / "parts").exists()
    other = tmp_path / "o"
    other.mkdir()
    (other / "x").write_text("user")
    with pytest.raises(SweepError, match=r"is not empty and holds no Liptako results; refusing to write into it"):
        new_store(other)
    new_store(other, force=True)
    assert (other / "x").read_text() == "user" and (other / "manifest.json").exists()
    empty = tmp_path / "e"
    empty.mkdir()
    new_store(empty)  # an empty directory is fine


def test_open_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(NoResultsError, match=r"nope: no such directory$"):
        SweepStore.open(tmp_path / "nope")
    (tmp_path / "f").write_text("x")
    with pytest.raises(NoResultsError, match=r"f: not a directory \(results are a directory"):
        SweepStore.open(tmp_path / "f")
    d = tmp_path / "d"
    d.mkdir()
    with pytest.raises(NoResultsError, match=r"holds no results \(no manifest.json"):
        SweepStore.open(d)
    (d / "manifest.json").write_text('{"kind": "sweep"}')
    with pytest.raises(NoResultsError, match=r"results in an older layout \(no runs.parquet\)"):
        SweepStore.open(d)
    (d / "runs.parquet").write_text("x")
    (d / "manifest.json").write_text('{"kind": "poem"}')
    with pytest.raises(NoResultsError, match=r"manifest.json is not the manifest of Liptako results"):
        SweepStore.open(d)
    (d / "manifest.json").write_text('{"kind": "ensemble"}')
    assert SweepStore.open(d).root == d
    assert isinstance(NoResultsError("x"), FileNotFoundError) and isinstance(NoResultsError("x"), SweepError)


def test_chunks_markers_and_the_loader(tmp_path: Path) -> None:
    st = new_store(tmp_path / "r")
    st.add_chunk(chunk(0, [0, 1], weeks=5))
    st.add_chunk(chunk(1, [2, 3], failed=(3,)))
    marker = json.loads((st.parts / "done" / "chunk-000001.json").read_text())
    assert {k: marker[k] for k in ("chunk", "run_ids", "failed", "seconds", "pid")} == {
        "chunk": 1, "run_ids": [2, 3], "failed": [3], "seconds": 1.2346, "pid": 77}
    assert marker["finished"].endswith("+00:00")
    assert not (st.parts / "timeline").exists()  # an empty table writes no part file
    assert st.finished() == ({0, 1, 2, 3}, {3}) and st.next_chunk_id() == 2
    r = load_results(st.root)
    assert r.outcomes["run_id"].tolist() == [0, 1, 2]
    assert r.outcomes["intervention_week"].dtype == "Int64"
    assert r.outcomes["intervention_week"].tolist()[:2] == [5, 5] and pd.isna(r.outcomes["intervention_week"][2])
    assert r.failures["run_id"].tolist() == [3] and r.events["text"].tolist()[0] == "event of run 0"
    assert r.timeline.empty and r.summary.empty
    pd.testing.assert_frame_equal(r.points, POINTS)
    pd.testing.assert_frame_equal(r.runs, RUNS)
    assert r.manifest == {"kind": "sweep", "runs": 4}
    assert r.complete and r.missing_run_ids() == []
    # the same tables from the chunks in memory
    mem = combine([chunk(1, [2, 3], failed=(3,)), chunk(0, [0, 1], weeks=5)])
    pd.testing.assert_frame_equal(mem["outcomes"], r.outcomes)
    pd.testing.assert_frame_equal(mem["events"], r.events)


def test_unfinished_chunks_are_ignored_then_cleaned(tmp_path: Path) -> None:
    st = new_store(tmp_path / "r")
    st.add_chunk(chunk(0, [0, 1]))
    st.add_chunk(chunk(1, [2, 3]))
    (st.parts / "done" / "chunk-000001.json").unlink()  # chunk 1 cut off before its marker
    (st.parts / "outcomes" / ".part-000002.parquet.x.tmp").write_text("half")
    (st.root / ".manifest.json.y.tmp").write_text("half")
    (st.root / ".mine.z.tmp").write_text("the user's")
    r = load_results(st.root)
    assert r.outcomes["run_id"].tolist() == [0, 1] and not r.complete and r.missing_run_ids() == [2, 3]
    assert st.next_chunk_id() == 2  # a part file without its marker still takes its number
    assert st.clean_unfinished() == 1
    assert sorted(p.name for p in (st.parts / "outcomes").iterdir()) == ["part-000000.parquet"]
    assert sorted(p.name for p in (st.parts / "events").iterdir()) == ["part-000000.parquet"]
    assert not (st.root / ".manifest.json.y.tmp").exists() and (st.root / ".mine.z.tmp").exists()
    assert st.clean_unfinished() == 0


def test_resume_can_drop_chunks_with_failures(tmp_path: Path) -> None:
    st = new_store(tmp_path / "r")
    st.add_chunk(chunk(0, [0, 1]))
    st.add_chunk(chunk(1, [2, 3], failed=(2,)))
    assert st.clean_unfinished() == 0 and st.finished() == ({0, 1, 2, 3}, {2})
    assert st.clean_unfinished(drop_failed=True) == 1
    assert st.finished() == ({0, 1}, set())
    assert sorted(p.name for p in (st.parts / "failures").iterdir()) == []
    assert load_results(st.root).missing_run_ids() == [2, 3]


def test_many_part_files_are_read_in_batches(tmp_path: Path) -> None:
    st = new_store(tmp_path / "r")
    runs = pd.DataFrame({"run_id": range(120), "point": 0, "replicate": range(120), "seed": range(120)})
    SweepStore.create(st.root, {"kind": "sweep"}, POINTS, runs, overwrite=True)
    for i in range(120):  # more than one batch of 50, written out of order
        st.add_chunk(chunk(119 - i, [119 - i]))
    r = load_results(st.root)
    assert r.outcomes["run_id"].tolist() == list(range(120)) and r.complete


def test_damaged_results_say_so(tmp_path: Path) -> None:
    st = new_store(tmp_path / "r")
    st.add_chunk(chunk(0, [0, 1]))
    (st.parts / "outcomes" / "part-000000.parquet").write_bytes(b"not parquet")
    with pytest.raises(NoResultsError, match=r"damaged results \(.*\); run the command that made them again "
                                             r"\(with --resume to keep what is whole\)"):
        load_results(st.root)


def test_results_with_nothing_finished() -> None:
    r = Results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), POINTS, RUNS)
    assert not r.complete and r.missing_run_ids() == [0, 1, 2, 3] and r.manifest == {}


def test_the_write_probe_is_made_where_the_results_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    made: list[tuple[str, str]] = []
    real = tempfile.TemporaryDirectory

    def probe(dir=None, prefix=None, **kw):
        made.append((str(dir), str(prefix)))
        return real(dir=dir, prefix=prefix, **kw)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", probe)
    S.check_out(tmp_path / "new" / "deeper", "sweep")
    S.check_out(tmp_path, "sweep")
    assert made == [(str(tmp_path), ".liptako-probe-"), (str(tmp_path), ".liptako-probe-")]
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # probes removed


def test_check_out_more_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    three = tmp_path / "three"
    three.mkdir()
    for n in ("a", "b", "c"):
        (three / n).write_text("user")
    with pytest.raises(OutputError, match=r"holds files but no Liptako results \(a, b, c\); give"):
        S.check_out(three, "sweep")
    own = tmp_path / "own"
    own.mkdir()
    (own / "runs.parquet").write_text("the user's")  # an own name, but no manifest: the user's file
    with pytest.raises(OutputError, match=r"holds files but no Liptako results \(runs.parquet\)"):
        S.check_out(own, "sweep")
    (own / "points.parquet").write_text("the user's")
    with pytest.raises(OutputError, match=r"your points.parquet, runs.parquet would be replaced by the results"):
        S.check_out(own, "sweep", force=True)

    def refuse(*a, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(OutputError, match=r"^--out .*three: cannot read the directory: Permission denied$"):
        S.check_out(three, "sweep")
    monkeypatch.undo()
    import tempfile

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    with pytest.raises(OutputError, match=r"^--work .*three: cannot write in .*three: Permission denied$"):
        S.check_out(three, "sweep", force=True, flag="--work")


def test_table_hash_of_small_numbers() -> None:
    df = pd.DataFrame({"x": [1e-12, 123456789012.0]})
    assert S.table_hash(df) == hashlib.sha256(b"x\n1e-12\n1.23456789e+11\n").hexdigest()


def test_chunk_numbers_count_markers_and_removed_chunks(tmp_path: Path) -> None:
    st = new_store(tmp_path / "r")
    empty = ChunkResult(0, [], EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, seconds=0.0)
    st.add_chunk(empty)  # a chunk with no rows writes only its marker
    assert sorted(p.name for p in st.parts.iterdir()) == ["done"] and st.next_chunk_id() == 1
    st.add_chunk(chunk(1, [0, 1]))
    st.add_chunk(chunk(2, [2, 3]))
    for i in (1, 2):
        (st.parts / "done" / f"chunk-00000{i}.json").unlink()
    assert st.clean_unfinished() == 2  # both cut-off chunks, each counted


def test_combine_keeps_row_order_within_a_run_and_mixed_types(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    runs = rng.integers(0, 10, size=2000)
    ev = pd.DataFrame({"run_id": runs, "seq": np.arange(2000)})
    res = ChunkResult(0, list(range(10)), EMPTY, EMPTY, EMPTY, ev, EMPTY, seconds=0.0)
    got = combine([res])["events"]
    assert got["run_id"].is_monotonic_increasing
    assert all(g["seq"].is_monotonic_increasing for _, g in got.groupby("run_id"))  # a stable sort
    # a column that is all missing in one chunk and whole numbers in another; weeks as floats become Int64
    a = ChunkResult(0, [0], pd.DataFrame({"run_id": [0], "intervention_week": [None]}), EMPTY, EMPTY, EMPTY,
                    EMPTY, seconds=0.0)
    b = ChunkResult(1, [1], pd.DataFrame({"run_id": [1], "intervention_week": [4.0]}), EMPTY, EMPTY, EMPTY,
                    EMPTY, seconds=0.0)
    out = combine([b, a])["outcomes"]
    assert out["run_id"].tolist() == [0, 1] and out["intervention_week"].dtype == "Int64"
    assert pd.isna(out["intervention_week"][0]) and out["intervention_week"][1] == 4
