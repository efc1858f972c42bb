"""What users rely on, used the way they use it: the public API from a plain script, `params`, `schema`,
`sweep --dry-run`, and a sweep on a Dask scheduler and worker that the test starts as separate processes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas.testing as pdt

from sim import load_results
from tests.conftest import ROOT, SCENARIOS, run_cli

SCRIPT = """\
import json, sys
import sim

s = sim.load_scenario(sys.argv[1])
rec = sim.run(s, seed=5, timeline=False, events=False)
ens = sim.run_ensemble(s, 3, seed=8, jobs=1, timeline=False, events=False)
again = sim.run_ensemble(s, 3, seed=8, jobs=1, timeline=False, events=False)
stored = sim.run_ensemble_to_dir(s, "out", replicates=3, seed=8, jobs=1, figures=False)
back = sim.load_results("out")
try:
    sim.load_results("nowhere")
    missing = "loaded"
except sim.NoResultsError as e:
    missing = str(e)
cols = ["run_id", "intervention", "max_escalation"]
print(json.dumps({"outcome_keys": sorted(rec.outcomes), "runs": len(ens.outcomes),
                  "same": ens.outcomes.equals(again.outcomes), "public": sorted(sim.__all__),
                  "stored_runs": len(back.outcomes), "kind": back.manifest["kind"],
                  "stored_same": back.outcomes[cols].equals(ens.outcomes[cols]) and stored.complete,
                  "missing": missing}))
"""


def test_public_api_from_a_plain_script(tmp_path: Path) -> None:
    script = tmp_path / "user.py"
    script.write_text(SCRIPT)
    # run from a directory outside the repository, as a user's script would be
    r = subprocess.run([sys.executable, str(script), str(SCENARIOS / "gambia_2017.yaml")], cwd=tmp_path,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert {"intervention", "max_escalation", "intervention_week"} <= set(got["outcome_keys"])
    assert got["runs"] == 3 and got["same"] is True
    assert {"run", "run_ensemble", "load_results", "load_scenario", "run_sweep"} <= set(got["public"])
    # written to a directory and read back with sim.load_results: the same runs as in memory
    assert (got["stored_runs"], got["kind"], got["stored_same"]) == (3, "ensemble", True)
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert got["missing"] == "nowhere: no such directory"


def test_params_lists_units_bounds_defaults_sources() -> None:
    r = run_cli("params")
    assert r.returncode == 0, r.stderr
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("parameters.assistance.reference_honour_rate "))
    # the Leeds, Long & Mitchell (2000) honour rate: default 0.745, bounds two-thirds to three quarters
    assert "0.745" in line and "[0.66, 0.75]" in line and "[probability]" in line and "Leeds" in line
    # one line per rule parameter of every section, each once (then the per-state, bloc, clause... fields)
    from sim.scenario.parameters import ModelParams

    want = {f"parameters.{sec}.{name}" for sec, f in ModelParams.model_fields.items()
            for name, g in f.annotation.model_fields.items() if g.annotation is not bool}  # switches have no unit
    got = [ln.split()[0] for ln in r.stdout.splitlines()[1:] if ln.startswith("parameters.")]
    assert sorted(got) == sorted(want) and len(got) == len(set(got))
    assert "states.<id>.personnel" in {ln.split()[0] for ln in r.stdout.splitlines() if ln.strip()}
    assert r.stdout.splitlines()[0].split() == ["parameter", "default", "bounds", "[unit]", "source"]


def test_schema_prints_the_shipped_schema() -> None:
    r = run_cli("schema")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == json.loads((ROOT / "scenarios" / "schema.json").read_text())


def _experiment(tmp_path: Path, replicates: int = 2) -> Path:
    p = tmp_path / "exp.yaml"
    p.write_text(textwrap.dedent(f"""\
        name: user_exp
        scenario: {SCENARIOS / "gambia_2017.yaml"}
        parameters:
          parameters.council.launch_p_win: [0.5, 0.7]
        design: {{kind: grid}}
        replicates: {replicates}
        seed: 3
        outcomes: [intervention, max_escalation]
        """))
    return p


def test_sweep_dry_run_shows_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run_cli("sweep", str(_experiment(tmp_path, replicates=3)), "--dry-run", "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == (f"user_exp: grid design, 2 points x 3 replicates = 6 runs; base scenario "
                        f"{SCENARIOS / 'gambia_2017.yaml'} (gambia_2017)")
    assert "  parameters.council.launch_p_win: 0.5, 0.7" in lines
    assert "  outcomes: intervention, max_escalation; timeline: none; events: False" in lines
    assert f"  results would go to {out}/" in lines
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["exp.yaml"]  # nothing written


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sweep_on_an_external_dask_scheduler(tmp_path: Path) -> None:
    exp = _experiment(tmp_path)
    serial = tmp_path / "serial"
    r = run_cli("sweep", str(exp), "--executor", "serial", "--out", str(serial), "-q")
    assert r.returncode == 0, r.stderr
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    logs = [open(tmp_path / f"{n}.log", "w") for n in ("scheduler", "worker")]
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                              "--port", str(port), "--no-dashboard"], stdout=logs[0], stderr=subprocess.STDOUT)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nworkers", "1",
                               "--nthreads", "1", "--no-dashboard"], cwd=ROOT, stdout=logs[1],
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait for the scheduler to listen (not a timing assertion)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        out = tmp_path / "dask"
        r = run_cli("sweep", str(exp), "--scheduler", addr, "--out", str(out), "-q")
        assert r.returncode == 0, r.stderr + (tmp_path / "worker.log").read_text()
    finally:
        for p in (worker, sched):
            p.terminate()
            p.wait(timeout=60)
        for f in logs:
            f.close()
    got, ref = load_results(out).outcomes, load_results(serial).outcomes
    assert len(ref) == 4  # 2 points x 2 replicates
    pdt.assert_frame_equal(got.sort_values("run_id").reset_index(drop=True),
                           ref.sort_values("run_id").reset_index(drop=True))


def test_sweep_overwrite_replaces_only_its_own_results(tmp_path: Path, capsys) -> None:
    from sim.cli import main

    exp, out = _experiment(tmp_path), tmp_path / "out"
    assert main(["sweep", str(exp), "--executor", "serial", "--out", str(out), "-q"]) == 0
    first = load_results(out).outcomes
    assert main(["sweep", str(exp), "--executor", "serial", "--out", str(out), "-q"]) == 2  # neither flag
    assert "--overwrite" in capsys.readouterr().err
    notes = out / "notes.txt"
    notes.write_text("mine")
    code = main(["sweep", str(exp), "--executor", "serial", "--out", str(out), "--overwrite", "--force", "-q"])
    assert code == 0, capsys.readouterr().err
    pdt.assert_frame_equal(load_results(out).outcomes, first)
    assert notes.read_text() == "mine"  # a user's file in OUT is never deleted


def test_output_piped_into_a_reader_that_stops_is_not_an_error() -> None:
    # `run.py params | head -1`: the reader closes the pipe after one line; no traceback, exit status 0
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "params"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().startswith(b"parameter")
    proc.stdout.close()
    err = proc.stderr.read() if proc.stderr is not None else b""
    assert proc.wait(timeout=60) == 0 and b"Traceback" not in err, err
