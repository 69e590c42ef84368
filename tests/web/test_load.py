"""Load: 20 concurrent check requests of 10 reports each against the real server (uvicorn in a
subprocess), all answered correctly. The wall time is printed, not asserted (machines differ)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from web_helpers import CLEAN

REQUESTS = 20
REPORTS = 10


def reports_for(n: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    """Ten reports for request `n`: corpus articles (in the server's index) with the request's
    own school name put in, so every request differs and every report has copied text."""
    articles = sorted(CLEAN.glob("*.txt"))[:12]
    files = []
    for i in range(REPORTS):
        text = articles[(n + i) % len(articles)].read_text(encoding="utf-8")
        lines = text.splitlines()
        lines.insert(1, f"第{n}号学校第{i}份报告")
        files.append(("files", (f"r{n}_{i}.txt", "\n".join(lines).encode("utf-8"), "text/plain")))
    return files


def test_twenty_concurrent_checks(server: str) -> None:
    def one(n: int) -> tuple[int, dict, float]:
        start = time.perf_counter()
        r = httpx.post(server + "/api/check", files=reports_for(n), timeout=600)
        return r.status_code, r.json(), time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(REQUESTS) as pool:
        results = list(pool.map(one, range(REQUESTS)))
    wall = time.perf_counter() - start
    slowest = max(t for _s, _b, t in results)
    print(f"\nload: {REQUESTS} concurrent checks x {REPORTS} reports: wall {wall:.1f} s, "
          f"slowest request {slowest:.1f} s")
    jobs = set()
    for n, (status, body, _t) in enumerate(results):
        assert status == 200, body
        jobs.add(body["job"])
        reports = body["reports"]
        assert len(reports) == REPORTS
        assert sorted(r["file"] for r in reports) == sorted(f"r{n}_{i}.txt" for i in range(REPORTS))
        for r in reports:
            assert r.get("error") is None
            # an indexed article with one added line: almost all of it is copied
            assert 0.8 <= r["duplicate_ratio"] <= 1.0, r
    assert len(jobs) == REQUESTS
