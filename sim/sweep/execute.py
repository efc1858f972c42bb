"""Executors behind one ``concurrent.futures`` interface, and the dispatch of chunks to them.

* ``serial``: runs every task in this process when it is submitted (no pickling, easiest to debug).
* ``local``: a process pool of ``jobs`` workers, started once per sweep (forked from a single-threaded
  process, so workers do not import Mesa again; otherwise from a fork server); workers ignore Ctrl-C so
  that the main process stops them cleanly.
* ``dask``: a Dask ``LocalCluster`` of ``jobs`` single-threaded worker processes, or an existing cluster
  at ``scheduler`` (``tcp://host:port``), used through ``Client.get_executor()``. Dask is an optional
  extra: this module imports without it.

Work goes out in chunks: :func:`dispatch` sizes them from the measured time per run to take about
``chunk_seconds`` each (smaller at the start and near the end so no worker waits), and keeps two chunks
per worker in flight. A chunk's result does not depend on its size: every run carries its seed.
The worker function is :func:`sim.sweep.worker.run_chunk`.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from sim.sweep.worker import ChunkJob, ChunkResult, run_chunk

__all__ = [
    "ExecutorHandle",
    "SerialExecutor",
    "SweepError",
    "default_jobs",
    "dispatch",
    "open_executor",
    "probe_scheduler",
    "process_pool",
    "stop_pool",
]

ExecutorKind = Literal["serial", "local", "dask"]


class SweepError(Exception):
    """Runs that cannot start or go on (bad output directory, missing extra, lost cluster, failed runs)."""


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------------------------------------------
# Executors
# ---------------------------------------------------------------------------------------------------


class SerialExecutor(Executor):
    """An executor that runs each task in this process as it is submitted."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:  # KeyboardInterrupt included: it must reach the caller
            if not isinstance(e, Exception):
                raise
            fut.set_exception(e)
        return fut


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _noop(x: int) -> int:
    return x


def _os_threads() -> int:
    """Threads of this process as the OS counts them (native ones too, e.g. Arrow's pool); 0 if unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes, started now.

    From a single-threaded process (the command line) workers are forked: they inherit the imported
    model and start in milliseconds. From a process that already runs threads (a notebook, a test
    session, after reading Parquet), forking is unsafe, so workers come from a fork server that imports
    the model once. Workers ignore Ctrl-C: the main process handles it and stops them.
    """
    ctx: multiprocessing.context.BaseContext
    if sys.platform == "linux" and _os_threads() == 1:
        ctx = multiprocessing.get_context("fork")
    else:
        ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        if sys.platform != "win32":
            preload = ["sim.sweep.execute", "sim.sweep.worker", "sim.runner", "sim.experiment"]
            multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_ignore_sigint)
    with _main_script_hidden():
        list(pool.map(_noop, range(jobs)))  # start every worker now, before anything else makes threads
    return pool


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Workers from a fork server (or spawned) re-run the main script first, as multiprocessing imports it
    as ``__mp_main__``: a plain script without ``if __name__ == "__main__":`` would run again in every
    worker. The workers need only sim's own modules, so the script's path is hidden while they start."""
    main = sys.modules.get("__main__")
    saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__")
                             if main is not None and k in main.__dict__}
    try:
        if main is not None:
            main.__dict__.pop("__file__", None)
            if "__spec__" in saved:
                main.__dict__["__spec__"] = None
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel what has not started and terminate the workers."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=5)


SCHEDULER_PROBE_SECONDS = 3.0  # a scheduler on the same network answers a TCP connect in milliseconds
SCHEDULER_CONNECT_SECONDS = 5  # then Dask's handshake (milliseconds on a network; its default, 30 s, is long)


def probe_scheduler(address: str, timeout: float = SCHEDULER_PROBE_SECONDS) -> None:
    """Open and close a TCP connection to a Dask scheduler's ``[tcp://|tls://|ws://]host:port``, so that an
    unreachable address is a one-line :class:`SweepError` within ``timeout`` seconds (Dask's own Client
    waits its full connect timeout and then raises a long error). Over plain tcp, the first 8 bytes the
    server sends (a Dask scheduler speaks first: the length of its handshake) are read too: a server that
    says nothing would hang Dask's handshake forever (it has no timeout), and one that says something
    else (a web server) would make Dask allocate whatever length those bytes spell. ucx is not probed."""
    import socket

    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    if scheme not in ("tcp", "tls", "ws", "wss"):
        return
    host, _, port_text = rest.rpartition(":")
    host = host.strip("[]")
    if not host or not port_text.isdigit() or not 0 < int(port_text) <= 65535:
        raise SweepError(f"--scheduler {address}: an address such as tcp://host:8786 (port 1 to 65535)")
    try:
        with socket.create_connection((host, int(port_text)), timeout=timeout) as s:
            if scheme == "tcp":  # a Dask server speaks first: the 8-byte length of its handshake message
                head = b""
                while len(head) < 8:
                    got = s.recv(8 - len(head))
                    if not got:
                        break
                    head += got
                n = int.from_bytes(head.ljust(8, b"\0"), "little")
                if len(head) < 8 or not 0 < n < 2**26:  # Dask's reader would allocate n bytes
                    raise SweepError(f"--scheduler {address}: what answers there is not a Dask scheduler")
    except socket.gaierror as e:
        raise SweepError(f"--scheduler {address}: unknown host {host} ({e.strerror})") from None
    except TimeoutError:
        raise SweepError(f"--scheduler {address}: no answer within {timeout:g} s; is a Dask scheduler running "
                         "there (`dask scheduler`) and reachable from this computer?") from None
    except OSError as e:
        raise SweepError(f"--scheduler {address}: cannot connect ({e.strerror or e}); is a Dask scheduler "
                         "running there (`dask scheduler`)?") from None


@dataclass
class ExecutorHandle:
    """An open executor: the ``concurrent.futures`` object, how many runs it works on at once, a label."""

    executor: Executor
    workers: int
    label: str
    interrupted: bool = False


@contextmanager
def open_executor(kind: ExecutorKind = "local", jobs: int | None = None,
                  scheduler: str | None = None, runs: int | None = None) -> Iterator[ExecutorHandle]:
    """Open an executor for one sweep and close it afterwards (on Ctrl-C too).

    Args:
        kind: ``serial``, ``local`` (process pool) or ``dask``.
        jobs: workers for ``local`` and a Dask LocalCluster (default: all cores). ``local`` with one job
            runs serially in this process.
        scheduler: address of a running Dask scheduler (implies ``dask``).
        runs: the runs to do, if known: no more workers are started than that (``--jobs 1024`` for two
            runs would start 1,022 idle processes).
    """
    if scheduler:
        kind = "dask"
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    if runs is not None:
        jobs = max(1, min(jobs, runs))
    if kind == "serial" or (kind == "local" and jobs == 1):
        yield ExecutorHandle(SerialExecutor(), 1, "serial")
        return
    if kind == "local":
        pool = process_pool(jobs)
        try:
            yield ExecutorHandle(pool, jobs, f"local, {jobs} processes")
        except BaseException:
            stop_pool(pool)
            raise
        else:
            pool.shutdown(wait=True)
        return
    if kind != "dask":
        raise SweepError(f"unknown executor '{kind}' (serial, local or dask)")
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError:
        raise SweepError("--executor dask needs Dask: pip install 'liptako[dask]'") from None
    cluster = None
    try:
        if scheduler:
            probe_scheduler(scheduler)  # an unreachable address fails in a second, not after Dask's timeout
            try:
                client = Client(scheduler, timeout=f"{SCHEDULER_CONNECT_SECONDS}s")
            except (OSError, TimeoutError) as e:
                raise SweepError(f"--scheduler {scheduler}: no Dask scheduler answered within "
                                 f"{SCHEDULER_CONNECT_SECONDS} s ({type(e).__name__})") from None
            except Exception as e:  # something else listens there (a web server ...): Dask reads garbage
                why = (str(e).splitlines() or [""])[0][:120]
                raise SweepError(f"--scheduler {scheduler}: what answers there is not a Dask scheduler "
                                 f"({type(e).__name__}{': ' + why if why else ''})") from None
            try:
                client.wait_for_workers(1, timeout=120)
            except (OSError, TimeoutError):
                client.close()
                raise SweepError(f"the Dask scheduler at {scheduler} has no workers (waited 120 s); "
                                 "start some with `dask worker ADDRESS`") from None
            label = f"dask scheduler {scheduler}"
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.WARNING)
            client = Client(cluster)
            label = f"dask LocalCluster, {jobs} workers"
        workers = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()) or jobs
        try:
            yield ExecutorHandle(client.get_executor(), workers, label)
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------------


def dispatch(
    handle: ExecutorHandle,
    runs: Sequence[Any],
    make_job: Callable[[int, list[Any]], ChunkJob],
    on_result: Callable[[ChunkResult], None],
    chunk_seconds: float = 1.0,
    first_chunk: int = 4,
    next_chunk_id: int = 0,
    fn: Callable[[ChunkJob], ChunkResult] = run_chunk,
    chunk_size: int | None = None,
) -> None:
    """Send ``runs`` out in chunks of about ``chunk_seconds`` and hand each finished chunk to ``on_result``.

    Chunks are sized from the measured time per run (first ones ``first_chunk`` runs), or hold
    ``chunk_size`` runs each when it is given. At most two chunks
    per worker are in flight, so the main process holds little and a Ctrl-C loses little. Results are
    handled in the main process, one at a time, in the order they finish.
    """
    pending = deque(runs)
    inflight: dict[Future[ChunkResult], int] = {}
    per_run: float | None = None
    workers = max(1, handle.workers)
    chunk_id = next_chunk_id

    def size() -> int:
        if chunk_size is not None:
            return max(1, chunk_size)
        if per_run is None:
            n = first_chunk
        else:
            n = max(1, round(chunk_seconds / max(per_run, 1e-6)))
        # near the end, split what is left so that every worker gets a share
        return max(1, min(n, math.ceil(len(pending) / (2 * workers))))

    while pending or inflight:
        while pending and len(inflight) < 2 * workers:
            take = [pending.popleft() for _ in range(min(size(), len(pending)))]
            fut = handle.executor.submit(fn, make_job(chunk_id, take))
            inflight[fut] = chunk_id
            chunk_id += 1
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: inflight[f]):
            del inflight[fut]
            res = fut.result()
            n = max(1, len(res.run_ids))
            rate = res.seconds / n
            per_run = rate if per_run is None else 0.7 * per_run + 0.3 * rate
            on_result(res)
