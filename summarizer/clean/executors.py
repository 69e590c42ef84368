"""Executors of the batch cleanup: map a picklable function over the inputs, results in completion
order, in this process, in a pool of local processes (`--jobs N`) or on a Dask cluster
(`--engine dask`). Work is submitted in a bounded window, so that memory stays flat however large
the archive is."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, as_completed, wait
from contextlib import contextmanager
from itertools import islice

CHUNK = 8


def local_map(fn: Callable, items: Iterable, jobs: int) -> Iterator:
    """Results in completion order; at most `4 * jobs` chunks of `CHUNK` inputs in flight, so
    memory stays flat. Chunks rather than single inputs: each submission costs the dispatching
    process a future, a wake-up and a pickle round trip, which for small pages added up to a
    fifth of its work."""
    if jobs <= 1:
        for item in items:
            yield fn(item)
        return
    # Imported here: the process pool machinery costs ~20 ms of start-up that one job never uses.
    from concurrent.futures import ProcessPoolExecutor

    it = iter(items)
    with _ctrl_c_held() as pressed, ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_ctrl_c) as pool:
        pending: set = set()
        while chunk := list(islice(it, CHUNK)):
            pending.add(pool.submit(_map_chunk, fn, chunk))
            if len(pending) >= 4 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield from fut.result()
            _stop_if(pressed(), pool)
        for fut in as_completed(pending):
            yield from fut.result()
            _stop_if(pressed(), pool)


def _map_chunk(fn: Callable, chunk: list) -> list:
    return [fn(item) for item in chunk]


@contextmanager
def _ctrl_c_held() -> Iterator[Callable[[], bool]]:
    """Ctrl-C during a pool run, held until the run is between chunks (`_stop_if`). Raised where
    it lands, a KeyboardInterrupt can leave one of the pool's locks taken (`wait` holds the
    futures' locks, `submit` the pool's), and the pool's manager thread, its workers and the
    shutdown then wait on one another for ever: a run stopped that way hung. Only in the main
    thread, where signals arrive (a web job runs in another)."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    pressed = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: pressed.set())
    try:
        yield pressed.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_if(pressed: bool, pool) -> None:  # noqa: ANN001 - a ProcessPoolExecutor
    """Stop the run at this safe point when Ctrl-C was pressed: the chunks not started are
    dropped, the ones running finish (their inputs are journaled: the next run skips them)."""
    if pressed:
        pool.shutdown(wait=False, cancel_futures=True)
        raise KeyboardInterrupt


def _ignore_ctrl_c() -> None:
    """In a worker: Ctrl-C at a terminal reaches the whole process group; the parent decides."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


SCHEDULER_TIMEOUT = 8  # seconds to reach a Dask scheduler before the run is refused


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here (dask not installed, its scheduler silent)."""


class SchedulerUnreachable(EngineUnavailable):
    """The Dask scheduler named on the command line does not answer; the message names it."""


def dask_map(fn: Callable, items: Iterable, scheduler: str | None, jobs: int) -> Iterator:
    """The same bounded window on a Dask cluster: `scheduler` is its address, or a LocalCluster
    with `jobs` worker processes is started for the run."""
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise EngineUnavailable("--engine dask 需要 dask：pip install 'summarizer[dask]' / "
                                "the dask engine needs dask: pip install 'summarizer[dask]'") from None

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachable(
                f"{scheduler}: 无法连接 Dask 调度器（{SCHEDULER_TIMEOUT} 秒内无应答）/ "
                f"cannot reach the Dask scheduler within {SCHEDULER_TIMEOUT} s: {type(exc).__name__}") from None
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        workers = len(client.scheduler_info().get("workers", {})) or max(1, jobs)
        window = 4 * workers
        it = iter(items)
        first = [client.submit(fn, item, pure=False) for item in islice(it, window)]
        queue = dask_completed(first)
        for fut in queue:
            yield fut.result()
            for item in islice(it, 1):
                queue.add(client.submit(fn, item, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def executor(engine: str = "local", jobs: int = 1, scheduler: str | None = None
             ) -> Callable[[Callable, Iterable], Iterator]:
    """The map of `engine` ("local" or "dask") with its settings: `map(fn, items)`."""
    if engine == "dask":
        return lambda fn, items: dask_map(fn, items, scheduler, jobs)
    return lambda fn, items: local_map(fn, items, jobs)
