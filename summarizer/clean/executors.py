"""Executors of the batch cleanup: map a picklable function over the inputs, results in completion
order, in this process, in a pool of local processes (`--jobs N`) or on a Dask cluster
(`--engine dask`). Work is submitted in a bounded window, so that memory stays flat however large
the archive is."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, as_completed, wait
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
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: set = set()
        while chunk := list(islice(it, CHUNK)):
            pending.add(pool.submit(_map_chunk, fn, chunk))
            if len(pending) >= 4 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield from fut.result()
        for fut in as_completed(pending):
            yield from fut.result()


def _map_chunk(fn: Callable, chunk: list) -> list:
    return [fn(item) for item in chunk]


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
