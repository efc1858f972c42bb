"""Writing results: Parquet tables and a manifest, written atomically (a temporary file, then a rename).

This module and :mod:`sim.figures` are the only parts of ``sim`` that write files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.scenario.errors import OutputError

__all__ = [
    "OWN_NAMES",
    "OutputError",
    "atomic_write_bytes",
    "check_figures_out",
    "check_out",
    "figures_record",
    "file_sha256",
    "git_state",
    "is_own_name",
    "own_figures",
    "package_versions",
    "provenance",
    "read_table",
    "record_figures",
    "remove_own",
    "results_manifest",
    "table_hash",
    "write_json",
    "write_table",
]

PACKAGES = ["mesa", "numpy", "pandas", "pyarrow", "pydantic", "pyyaml", "scipy", "matplotlib", "networkx",
            "SALib", "dask", "distributed", "solara"]


# What Liptako writes in a results directory (and so may replace there); anything else is the user's.
OWN_NAMES = frozenset({"manifest.json", "experiment.yaml", "points.parquet", "runs.parquet", "parts", "figures",
                       "history.csv", "history.parquet", "scores.csv", "loo.csv", "point_means.csv", "sensitivity.csv",
                       "sensitivity.parquet", "sensitivity.png", "convergence.csv", "regression.csv",
                       "regression.png", "discovery_tradeoff.csv", "discovery_boxes.csv", "discovery.png"})
RESULT_KINDS = ("ensemble", "sweep", "history")


def is_own_name(name: str) -> bool:
    """A name Liptako writes: one of :data:`OWN_NAMES` or a temporary file of one (``.NAME.xxxx.tmp``)."""
    return name in OWN_NAMES or (name.endswith(".tmp") and any(name.startswith(f".{n}.") for n in OWN_NAMES))


def results_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of the Liptako results in ``out``, or None when ``out`` holds none."""
    try:
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) and m.get("kind") in RESULT_KINDS else None


def _probe_writable(out: Path, flag: str) -> None:
    """Create and remove a temporary directory where ``out`` is (or would be made): an error now, not after
    the runs, if the location is read-only or not ours."""
    anc = out
    while not anc.exists():
        if anc.parent == anc:
            break
        anc = anc.parent
    if not anc.is_dir():
        raise OutputError(f"{flag} {out}: {anc} is a file, not a directory")
    try:
        tempfile.TemporaryDirectory(dir=anc, prefix=".liptako-probe-").cleanup()
    except OSError as e:
        raise OutputError(f"{flag} {out}: cannot write in {anc}: {e.strerror}") from None


def check_out(out: Path, kind: str, force: bool = False, flag: str = "--out") -> dict[str, Any] | None:
    """Check that results of ``kind`` may be written to ``out``, before any run starts.

    Allowed: a directory that does not exist yet, an empty one, or one holding Liptako's own results
    (recognised by their manifest: those are replaced, or continued with --resume). Refused with a
    message: a file (never moved or replaced), a directory holding anything else (unless ``force``: then
    results are written beside the user's files, which are kept; a user's file with one of the names
    Liptako writes is refused even then), a location that cannot be written.

    Returns:
        The manifest of the results already in ``out``, if any.

    Raises:
        OutputError: saying what is wrong and what to do.
    """
    out = Path(out)
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise OutputError(f"{flag} {out}: is a file, not a directory; results go in a directory of their own "
                              "(the file is left as it is): give another " + flag)
        m = results_manifest(out)
        try:
            names = sorted(p.name for p in out.iterdir())
        except OSError as e:
            raise OutputError(f"{flag} {out}: cannot read the directory: {e.strerror}") from None
        if m is not None and m["kind"] != kind and not force:
            raise OutputError(f"{flag} {out}: holds the results of a {m['kind']}, not of a {kind}; give another "
                              f"{flag} (or --force to replace them)")
        foreign = [n for n in names if not is_own_name(n)] if m is not None else names
        if foreign and not force:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            what = "files that are not Liptako results" if m is not None else "files but no Liptako results"
            raise OutputError(f"{flag} {out}: holds {what} ({shown}); give an empty or new directory, or pass "
                              "--force to write the results beside them (they are kept)")
        if m is None:
            clash = [n for n in names if n in OWN_NAMES]
            if clash:
                raise OutputError(f"{flag} {out}: your {', '.join(clash)} would be replaced by the results; "
                                  "give another " + flag)
        _probe_writable(out, flag)
        return m
    _probe_writable(out, flag)
    return None


FIGURE_FORMATS = ("png", "svg", "pdf")


def figures_record(out: Path) -> dict[str, str]:
    """The figure files Liptako wrote in ``out`` with their sha256, from its ``manifest.json`` of kind
    ``figures`` (empty when there is none)."""
    try:
        m = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = m.get("files") if isinstance(m, dict) and m.get("kind") == "figures" else None
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)} \
        if isinstance(files, dict) else {}


def _sha_or_none(p: Path) -> str | None:
    try:
        return file_sha256(p) if p.is_file() and not p.is_symlink() else None
    except OSError:
        return None


def own_figures(out: Path, legacy: Iterable[str] = ()) -> set[str]:
    """The names in ``out`` that Liptako wrote and that nobody changed since: the figures its record
    lists with the same sha256, the record itself, and ``legacy`` names (figure files inside a Liptako
    results directory's ``figures/``, drawn before figures had a record)."""
    rec = figures_record(out)
    own = {n for n, sha in rec.items() if _sha_or_none(out / n) == sha}
    if rec:
        own.add("manifest.json")
    own |= {n for n in legacy if (out / n).is_file() and not (out / n).is_symlink()}
    return own


def check_figures_out(out: Path, names: Iterable[str], force: bool = False, flag: str = "--out",
                      legacy: Iterable[str] = ()) -> None:
    """Check that the figure files ``names`` may be written to ``out``, before anything runs or is drawn.

    The rule of :func:`check_out` for figures: a new or empty directory, or one holding only figures
    Liptako wrote there (listed, with their sha256, in its ``manifest.json`` of kind ``figures``), is
    fine. Anything else is the user's: refused unless ``force`` (then the figures go beside it); a user's
    file (or a figure changed since Liptako wrote it) with the name of a file to write is refused even then.

    Raises:
        OutputError: saying what is wrong and what to do.
    """
    out = Path(out)
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise OutputError(f"{flag} {out}: is a file, not a directory (it is left as it is); figures go in "
                              f"a directory: give another {flag}")
        try:
            present = sorted(p.name for p in out.iterdir())
        except OSError as e:
            raise OutputError(f"{flag} {out}: cannot read the directory: {e.strerror}") from None
        own = own_figures(out, legacy)
        foreign = [n for n in present if n not in own and not (n.startswith(".") and n.endswith(".tmp"))]
        if foreign and not force:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise OutputError(f"{flag} {out}: holds files that Liptako did not write there ({shown}); give an "
                              "empty or new directory, or pass --force to write the figures beside them "
                              "(they are kept)")
        clash = [n for n in [*names, "manifest.json"] if n in present and n not in own]
        if clash:
            raise OutputError(f"{flag} {out}: your {', '.join(clash)} would be replaced (Liptako did not write "
                              f"it, or it changed since); give another {flag}")
    _probe_writable(out, flag)


def record_figures(out: Path, written: Iterable[Path], extra: dict[str, Any] | None = None) -> None:
    """Add the files ``written`` (and their sha256) to the figures record of ``out``."""
    out = Path(out)
    rec = {n: sha for n, sha in figures_record(out).items() if _sha_or_none(out / n) == sha}
    rec.update({p.name: file_sha256(p) for p in written})
    doc = {"kind": "figures", "note": "the figure files run.py figures wrote here; it replaces only these",
           "files": dict(sorted(rec.items())), **(extra or {})}
    write_json(doc, out / "manifest.json")


def remove_own(out: Path) -> None:
    """Remove the files Liptako wrote in ``out`` (:data:`OWN_NAMES`), and nothing else."""
    import shutil

    for name in sorted(OWN_NAMES):
        p = out / name
        if name == "figures" and p.is_dir() and not p.is_symlink():
            _remove_figures(p)
        elif p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        elif p.exists() or p.is_symlink():
            p.unlink()


def _remove_figures(d: Path) -> None:
    """Empty a results directory's ``figures/`` of what Liptako draws there (figure files, their record,
    temporary drawing directories); a file of another kind put there by hand is kept, with the folder."""
    import shutil

    for p in d.iterdir():
        if p.is_dir() and not p.is_symlink() and p.name.startswith(".figures-") and p.name.endswith(".tmp"):
            shutil.rmtree(p)
        elif p.suffix.lstrip(".") in FIGURE_FORMATS or p.name == "manifest.json" or is_own_name(p.name):
            p.unlink()
    try:
        d.rmdir()
    except OSError:  # something of the user's is left in it
        pass


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame as Parquet, atomically, with no pandas index."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    # The pandas metadata is kept: it is what brings nullable integer columns back as Int64.
    table = pa.Table.from_pandas(df, preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    atomic_write_bytes(path, sink.getvalue().to_pybytes())


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path)


def write_json(obj: Any, path: Path) -> None:
    atomic_write_bytes(path, (json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n").encode())


def table_hash(df: pd.DataFrame) -> str:
    """A content hash of a table that ignores file encoding: sha256 over its CSV text, rows in order."""
    text = df.to_csv(index=False, float_format="%.10g", lineterminator="\n")
    return hashlib.sha256(text.encode()).hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def git_state(root: Path | None = None) -> dict[str, Any]:
    """The commit of the working tree and whether it has uncommitted changes (``None`` outside git)."""
    cwd = str(root or Path(__file__).resolve().parent.parent)
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                                    capture_output=True, text=True, timeout=10, check=True).stdout.strip())
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    out["python"] = platform.python_version()
    return out


def provenance(command: list[str] | None = None) -> dict[str, Any]:
    """What every output's manifest carries: commit and dirty flag, versions, command, host, time."""
    return {
        "liptako_version": package_versions(["liptako"]).get("liptako"),
        "git": git_state(),
        "versions": package_versions(),
        "command": command if command is not None else sys.argv,
        "platform": platform.platform(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
