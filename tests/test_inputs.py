"""The malformed-input corpus: every file of tests/inputs/NNN_*.yaml is one bad input to the command line.

Each case file starts with comment lines that say what it is and what must happen::

    # case: what is wrong
    # args: validate {case}            the command line ({case} is the file itself)
    # expect: {case}:7: states.AAA     text the error must contain (file, line and field; or the flag)

and the rest of the file is the input (which may be binary, Latin-1, an alias bomb ...). Placeholders:
``{case}`` the case file, ``{inputs}`` this folder, ``{repo}`` the repository, ``{out}`` an output
directory that must not be created, ``{file}`` a user's file and ``{userdir}`` a user's directory
(both must be left exactly as they were), ``{big}`` a file over the size limit, ``{loop}`` a
symbolic link to itself, ``{otherresults}`` Liptako results of some other run (placeholders are
replaced in the header's lines, not in the input). Every case must exit with status 2, print one
``error:`` line per problem naming what the case expects, print no traceback, and write nothing anywhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sim.cli import main

INPUTS = Path(__file__).parent / "inputs"
REPO = Path(__file__).resolve().parent.parent
CASES = sorted(INPUTS.glob("[0-9][0-9][0-9]_*.yaml"))


def _header(path: Path) -> tuple[str, list[str]]:
    args, expects = "", []
    for raw in path.read_bytes().split(b"\n"):
        if not raw.startswith(b"# "):
            break
        line = raw.decode("ascii")
        if line.startswith("# args: "):
            args = line.removeprefix("# args: ")
        elif line.startswith("# expect: "):
            expects.append(line.removeprefix("# expect: "))
    return args, expects


def _snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = Path(dirpath) / n
            if p.is_symlink():
                out[str(p.relative_to(root))] = (0, os.readlink(p).encode())
                continue
            out[str(p.relative_to(root))] = (p.stat().st_mode, p.read_bytes() if p.is_file() else b"")
    return out


def test_the_corpus_has_at_least_100_cases():
    assert len(CASES) >= 100
    assert all(_header(c)[0] and _header(c)[1] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_input_is_a_clear_error_and_writes_nothing(case: Path, tmp_path: Path, capsys, monkeypatch):
    args, expects = _header(case)
    user_file = tmp_path / "user.txt"
    user_file.write_text("a user's own notes\n")
    user_dir = tmp_path / "userdir"
    user_dir.mkdir()
    (user_dir / "notes.txt").write_text("keep me\n")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"name: x\n" + b"# padding\n" * 600_000)
    other = tmp_path / "otherresults"
    other.mkdir()
    (other / "manifest.json").write_text(json.dumps({"kind": "ensemble", "plan_sha256": "another run"}))
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)  # a link to itself: reading it loops
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    subs = {"case": str(case), "inputs": str(INPUTS), "repo": str(REPO), "out": str(tmp_path / "out"),
            "file": str(user_file), "userdir": str(user_dir), "big": str(big), "otherresults": str(other),
            "loop": str(loop)}
    before, inputs_before = _snapshot(tmp_path), _snapshot(INPUTS)
    try:
        status = main([a.format(**subs) for a in args.split(" ")])
    except SystemExit as e:  # argparse's own errors (a flag that is not a number)
        status = e.code
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith(("error: ", "  ", "usage: ")) or "error:" in line for line in lines), err
    for e in expects:
        assert e.format(**subs) in err, f"expected {e.format(**subs)!r} in:\n{err}"
    assert _snapshot(tmp_path) == before, "something was written"
    assert _snapshot(INPUTS) == inputs_before
