"""The rules every command's flags follow, checked in one place before any command starts.

A flag of the same name means the same thing and has the same bounds in every command (``--jobs`` of
``run`` as of ``sweep``); :func:`flag_errors` returns one message per bad flag, naming it, and the
command line exits with status 2 before anything is read or written.
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path

__all__ = ["MAX_JOBS", "MAX_REPLICATES", "MAX_SEED", "flag_errors", "path_arg"]

MAX_JOBS = 1024  # worker processes; more than any machine this runs on has cores
MAX_REPLICATES = 1_000_000  # runs of one scenario; an experiment's replicates have the same bound
MAX_SEED = 2**63 - 1  # root seeds are stored as 64-bit integers (SeedSequence takes any non-negative one)
MAX_SET_DEPTH = 16
_OUT_FLAGS = ("out", "work", "results", "check")


def path_arg(text: str) -> Path:
    """The type of every path flag: refuses an empty path (argparse would read it as the current directory)
    and one with a NUL character, with argparse's one-line error and exit status 2."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path; give a directory or file name")
    if "\0" in text:
        raise argparse.ArgumentTypeError("a path with a NUL character")
    return Path(text)


def _int_range(errs: list[str], args: argparse.Namespace, name: str, lo: int, hi: int, why: str = "") -> None:
    v = getattr(args, name, None)
    if v is None:
        return
    if not lo <= v <= hi:
        flag = "--" + name.replace("_", "-")
        errs.append(f"{flag} {v}: must be between {lo:,} and {hi:,}{why}")


def flag_errors(args: argparse.Namespace) -> list[str]:
    """One message per flag of ``args`` that breaks its rule (empty when all are fine)."""
    errs: list[str] = []
    _int_range(errs, args, "jobs", 1, MAX_JOBS, " (worker processes)")
    _int_range(errs, args, "replicates", 1, MAX_REPLICATES)
    _int_range(errs, args, "seed", 0, MAX_SEED, " (a root seed is a non-negative 64-bit integer)")
    _int_range(errs, args, "resamples", 1, 1_000_000)
    _int_range(errs, args, "port", 0, 65535)
    cs = getattr(args, "chunk_seconds", None)
    if cs is not None and not (math.isfinite(cs) and 0 < cs <= 3600):
        errs.append(f"--chunk-seconds {cs}: must be more than 0 and at most 3600")
    _int_range(errs, args, "bootstrap", 1, 1_000_000)
    for name, lo, hi in (("precision", 0.0, 1e9), ("min_coverage", 0.0, 1.0)):
        v = getattr(args, name, None)
        if v is not None and not (math.isfinite(v) and lo < v <= hi):
            errs.append(f"--{name.replace('_', '-')} {v}: must be more than {lo:g} and at most {hi:g}")
    sched = getattr(args, "scheduler", None)
    if sched is not None and not re.fullmatch(r"(?:(?:tcp|tls|ws|wss|ucx)://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}", sched):
        errs.append(f"--scheduler {sched}: an address such as tcp://host:8786 (protocol tcp, tls, ws, wss or ucx)")
    cl = getattr(args, "conf_level", None)
    if cl is not None and not 0 < cl < 1:
        errs.append(f"--conf-level {cl}: must be between 0 and 1")
    for item in getattr(args, "set", None) or []:
        path, sep, _ = item.partition("=")
        if not sep or not path.strip():
            errs.append(f"--set {item}: expected PATH=VALUE, e.g. parameters.council.launch_p_win=0.5")
        elif path.count(".") >= MAX_SET_DEPTH or any(not k.strip() for k in path.split(".")):
            shown = path if len(path) <= 80 else path[:77] + "..."
            errs.append(f"--set {shown}: a dotted path of 1 to {MAX_SET_DEPTH} non-empty names (the format "
                        "nests at most 6 deep)")
    if getattr(args, "resume", False) and getattr(args, "overwrite", False):
        errs.append("--resume and --overwrite: give one (continue the results, or start again)")
    if getattr(args, "retry_failed", False) and not getattr(args, "resume", False):
        errs.append("--retry-failed: only with --resume")
    for name in _OUT_FLAGS:
        v = getattr(args, name, None)
        if isinstance(v, Path) and (v.exists() or v.is_symlink()) and not v.is_dir():
            errs.append(f"--{name} {v}: is a file, not a directory (it is left as it is); give a directory")
        elif isinstance(v, Path) and not str(v).strip():
            errs.append(f"--{name}: empty")
    return errs
