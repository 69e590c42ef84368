"""Fixtures of the web app's tests: the app in-process (TestClient) and a real uvicorn server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from web_helpers import ROOT, free_port, seed_index


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`summarizer serve` in a subprocess on a free port, with an index of the corpus; yields
    its base URL and stops it afterwards."""
    data = tmp_path_factory.mktemp("web") / "data"
    data.mkdir()
    seed_index(data / "index.db")
    port = free_port()
    log = (data.parent / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "serve", "--port", str(port), "--data-dir", str(data),
         "--db", str(data / "index.db")],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = (data.parent / "server.log").read_text(errors="replace")
                raise RuntimeError(f"the server did not start: {err}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
