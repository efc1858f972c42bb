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

__all__ = [
    "atomic_write_bytes",
    "file_sha256",
    "git_state",
    "package_versions",
    "provenance",
    "publish_dir",
    "read_table",
    "table_hash",
    "write_json",
    "write_table",
]

PACKAGES = ["mesa", "numpy", "pandas", "pyarrow", "pydantic", "pyyaml", "scipy", "matplotlib", "networkx",
            "SALib", "dask", "distributed", "solara"]


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


def publish_dir(tmp: Path, out: Path) -> None:
    """Move a finished output directory ``tmp`` into place as ``out``, replacing an earlier one.

    Outputs are written into a temporary sibling first, so a reader (or a crash) sees the old results or
    the new ones, never a mixture.
    """
    import shutil

    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


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
