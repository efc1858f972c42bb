"""The results store of every output (sweep, ensemble, history): Parquet part files written as chunks
finish, a manifest, resume; and :func:`load_results`, the one loader.

Layout of a results directory::

    manifest.json          kind (sweep | ensemble | history), what ran (experiment or scenario hashes),
                           root seed, versions, commit, counts, status (running | complete | interrupted)
    experiment.yaml        a sweep's copy of its experiment file
    points.parquet         the points (a sweep's design points: a column per varied path, unit-cube
                           coordinates if sampled; one row for an ensemble; the episodes of a history)
    runs.parquet           the plan: run_id, point, replicate, seed
    parts/<kind>/part-NNNNNN.parquet   one file per finished chunk and kind (outcomes, timeline,
                           summary, events, failures)
    parts/done/chunk-NNNNNN.json       written last: the chunk's run ids. A chunk without it is unfinished
                           and its parts are removed on --resume.

Every file is written atomically (temporary file, then rename), so a sweep killed at any moment leaves
only whole files. :func:`load_results` reads it back as one tidy pandas table per kind, sorted by run;
:func:`combine` assembles the same tables from chunks held in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.store import atomic_write_bytes, is_own_name, read_table, remove_own, results_manifest, write_json, write_table
from sim.sweep.execute import SweepError
from sim.sweep.worker import ChunkResult

__all__ = ["KINDS", "NoResultsError", "Results", "SweepResult", "SweepStore", "combine", "load_results",
           "load_sweep"]

KINDS = ("outcomes", "timeline", "summary", "events", "failures")
_READ_BATCH = 50  # part files read and combined at a time by load_results
_PART = re.compile(r"^(?:part|chunk)-(\d+)\.(?:parquet|json)$")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class NoResultsError(SweepError, FileNotFoundError):
    """A path that holds no results: missing, not a directory, or no manifest.json."""


class SweepStore:
    """A sweep's results directory: create it, find finished runs, add chunks, keep the manifest."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.parts = self.root / "parts"

    # --- opening --------------------------------------------------------------------------------
    @classmethod
    def create(cls, root: Path, manifest: dict[str, Any], points: pd.DataFrame, runs: pd.DataFrame,
               experiment_text: str | None = None, overwrite: bool = False, force: bool = False) -> SweepStore:
        """A new store at ``root``; refuses a directory that already holds results unless ``overwrite``
        (then only Liptako's own files are removed), and one holding other files unless ``force``."""
        root = Path(root)
        if root.exists() and any(root.iterdir()):
            if results_manifest(root) is not None:
                if not overwrite:
                    raise SweepError(f"{root} already holds results: pass --resume to continue that sweep or "
                                     "--overwrite to start again")
                remove_own(root)  # Liptako's files only: anything else in the directory is kept
            elif not force:
                raise SweepError(f"{root} is not empty and holds no Liptako results; refusing to write into it "
                                 "(--force writes the results beside its files)")
        store = cls(root)
        root.mkdir(parents=True, exist_ok=True)
        write_table(points, root / "points.parquet")
        write_table(runs, root / "runs.parquet")
        if experiment_text is not None:
            atomic_write_bytes(root / "experiment.yaml", experiment_text.encode())
        store.write_manifest(manifest)
        return store

    @classmethod
    def open(cls, root: Path) -> SweepStore:
        """The store at ``root``; raises :class:`NoResultsError` saying what is wrong if there is none."""
        root = Path(root)
        if not root.exists():
            raise NoResultsError(f"{root}: no such directory")
        if not root.is_dir():
            raise NoResultsError(f"{root}: not a directory (results are a directory written by run.py run, "
                                 "sweep or history)")
        if not (root / "manifest.json").exists():
            raise NoResultsError(f"{root}: holds no results (no manifest.json; results are a directory "
                                 "written by run.py run, sweep or history)")
        if not (root / "runs.parquet").exists():
            raise NoResultsError(f"{root}: results in an older layout (no runs.parquet): run the command "
                                 "that made them again")
        if results_manifest(root) is None:
            raise NoResultsError(f"{root}: manifest.json is not the manifest of Liptako results (unreadable, "
                                 "or no kind: ensemble, sweep or history)")
        return cls(root)

    # --- manifest -------------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.root / "manifest.json").read_text())

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        write_json(manifest, self.root / "manifest.json")

    # --- chunks ---------------------------------------------------------------------------------
    def _ids(self, folder: Path) -> list[int]:
        if not folder.exists():
            return []
        return [int(m.group(1)) for p in folder.iterdir() if (m := _PART.match(p.name))]

    def next_chunk_id(self) -> int:
        ids = [i for k in (*KINDS, "done") for i in self._ids(self.parts / k)]
        return max(ids, default=-1) + 1

    def finished(self) -> tuple[set[int], set[int]]:
        """Run ids of finished chunks: (all finished, of which failed)."""
        done: set[int] = set()
        failed: set[int] = set()
        folder = self.parts / "done"
        if folder.exists():
            for p in sorted(folder.glob("chunk-*.json")):
                d = json.loads(p.read_text())
                done.update(d["run_ids"])
                failed.update(d["failed"])
        return done, failed

    def _damaged(self, i: int) -> bool:
        """Whether finished chunk ``i`` cannot be read back: its marker is not the JSON Liptako wrote, or
        one of its parts is not a Parquet table with a ``run_id`` column (only the footers are read)."""
        import pyarrow.parquet as pq

        try:
            d = json.loads((self.parts / "done" / f"chunk-{i:06d}.json").read_text(encoding="utf-8"))
            if not (isinstance(d, dict) and isinstance(d.get("run_ids"), list) and isinstance(d.get("failed"), list)):
                return True
            for kind in KINDS:
                p = self.parts / kind / f"part-{i:06d}.parquet"
                if p.exists() and "run_id" not in pq.ParquetFile(p).schema_arrow.names:
                    return True
        except (OSError, ValueError):  # Arrow's errors are these
            return True
        return False

    def clean_unfinished(self, drop_failed: bool = False) -> int:
        """Remove part files of chunks that never finished (and, if asked, chunks with failures).

        Returns the number of chunks removed.
        """
        import pyarrow.parquet as pq

        from sim.store import OutputError

        for name in ("points.parquet", "runs.parquet"):  # the plan's tables: --resume cannot go on without
            try:
                pq.ParquetFile(self.root / name)
            except (OSError, ValueError) as e:
                raise OutputError(f"--resume: {self.root / name} is damaged ({type(e).__name__}); start again "
                                  "without --resume (sweep: --overwrite)") from None
        done_dir = self.parts / "done"
        finished = set(self._ids(done_dir))
        for i in sorted(finished):  # damaged outside Liptako (a marker or a part unreadable): run it again
            if self._damaged(i):
                (done_dir / f"chunk-{i:06d}.json").unlink()
                finished.discard(i)
        if drop_failed:
            for i in sorted(finished):
                d = json.loads((done_dir / f"chunk-{i:06d}.json").read_text())
                if d["failed"]:
                    (done_dir / f"chunk-{i:06d}.json").unlink()
                    finished.discard(i)
        removed: set[int] = set()
        for kind in KINDS:
            folder = self.parts / kind
            for i in self._ids(folder):
                if i not in finished:
                    (folder / f"part-{i:06d}.parquet").unlink()
                    removed.add(i)
        for tmp in self.parts.rglob(".*.tmp") if self.parts.exists() else []:
            tmp.unlink()
        for tmp in self.root.glob(".*.tmp"):  # a manifest or table cut off while being written
            if is_own_name(tmp.name):
                tmp.unlink()
        return len(removed)

    def add_chunk(self, res: ChunkResult) -> None:
        """Write a finished chunk: its tables first, then the marker that makes it count."""
        for kind in KINDS:
            df: pd.DataFrame = getattr(res, kind)
            if not df.empty:
                write_table(df, self.parts / kind / f"part-{res.chunk:06d}.parquet")
        marker = {"chunk": res.chunk, "run_ids": [int(i) for i in res.run_ids],
                  "failed": [int(i) for i in res.failures["run_id"]] if not res.failures.empty else [],
                  "seconds": round(res.seconds, 4), "pid": res.pid, "finished": now()}
        write_json(marker, self.parts / "done" / f"chunk-{res.chunk:06d}.json")


# ---------------------------------------------------------------------------------------------------
# Reading back
# ---------------------------------------------------------------------------------------------------


@dataclass
class Results:
    """Results of a sweep, an ensemble or a history as tidy tables (each sorted by ``run_id``).

    Attributes:
        outcomes: one row per finished run: run_id, point, replicate, seed, the point's labels (a sweep's
            varied paths, a history's episode), then the kept outcomes.
        timeline: with ``timeline: full``, the weekly rows (run_id, week, date, variable, actor, target,
            value).
        summary: with ``timeline: summary``, one row per run and series (final, mean, min, max).
        events: with ``events: true``, every run's event log.
        failures: runs that raised: run_id, point, replicate, seed, error, message, traceback.
        points: the points; runs: the whole plan (finished or not).
        manifest: the manifest's content.
    """

    outcomes: pd.DataFrame
    timeline: pd.DataFrame
    summary: pd.DataFrame
    events: pd.DataFrame
    failures: pd.DataFrame
    points: pd.DataFrame
    runs: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every planned run finished (ran or failed)."""
        return len(self.outcomes) + len(self.failures) == len(self.runs)

    def missing_run_ids(self) -> list[int]:
        have = set(self.outcomes.get("run_id", pd.Series(dtype="int64"))) | set(
            self.failures.get("run_id", pd.Series(dtype="int64")))
        return [int(i) for i in self.runs["run_id"] if int(i) not in have]


SweepResult = Results  # the name sweeps had


def _concat(tables: list[Any]) -> pd.DataFrame:
    """Arrow tables of one kind -> one pandas table sorted by run (how stored and in-memory results meet)."""
    import pyarrow as pa

    if not tables:
        return pd.DataFrame()
    df = pa.concat_tables(tables, promote_options="permissive").to_pandas()
    return df.sort_values("run_id", kind="stable", ignore_index=True)


def _nullable_ints(out: pd.DataFrame) -> pd.DataFrame:
    from sim.metrics import NULLABLE_INT_OUTCOMES

    for c in NULLABLE_INT_OUTCOMES & set(out.columns):
        out[c] = out[c].astype("Int64")
    return out


def combine(chunks: list[ChunkResult]) -> dict[str, pd.DataFrame]:
    """The tables of finished chunks held in memory, exactly as :func:`load_results` reads them stored."""
    import pyarrow as pa

    frames = {k: _concat([pa.Table.from_pandas(df, preserve_index=False) for c in chunks
                          if not (df := getattr(c, k)).empty]) for k in KINDS}
    frames["outcomes"] = _nullable_ints(frames["outcomes"])
    return frames


def _read_kind(store: SweepStore, kind: str, finished_chunks: set[int]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = store.parts / kind
    files = sorted(folder.glob("part-*.parquet")) if folder.exists() else []
    files = [f for f in files if (m := _PART.match(f.name)) and int(m.group(1)) in finished_chunks]
    # In batches, each combined into one table: thousands of small tables held at once cost far more
    # memory than their data (reading a 100,000-run sweep's outcomes: 370 MB at once, 250 MB in batches of 50).
    batches = []
    for i in range(0, len(files), _READ_BATCH):
        tables = [pq.ParquetFile(f).read(use_threads=False) for f in files[i:i + _READ_BATCH]]
        batches.append(pa.concat_tables(tables, promote_options="permissive").combine_chunks())
    return _concat(batches)


def load_results(directory: str | Path) -> Results:
    """Read any results directory (``run.py run``, ``sweep`` or ``history``; finished or not).

    Only chunks that finished count; parts of a chunk that was cut off are ignored.

    Raises:
        NoResultsError: the path does not exist, is not a directory or holds no results (says which).
    """
    store = SweepStore.open(Path(directory))
    try:
        finished = set(store._ids(store.parts / "done"))
        frames = {k: _read_kind(store, k, finished) for k in KINDS}
        return Results(_nullable_ints(frames["outcomes"]), frames["timeline"], frames["summary"],
                       frames["events"], frames["failures"], read_table(store.root / "points.parquet"),
                       read_table(store.root / "runs.parquet"), store.manifest())
    except (OSError, ValueError) as e:  # a table cut or damaged outside Liptako (Arrow's errors are these)
        raise NoResultsError(f"{directory}: damaged results ({type(e).__name__}: {e}); run the command that "
                             "made them again (with --resume to keep what is whole)") from None


load_sweep = load_results  # the name sweeps had: the same loader
