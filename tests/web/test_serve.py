"""`summarizer serve` as a user runs it: a busy port is a clear error before anything starts."""

from __future__ import annotations

import socket
import subprocess
import sys

from web_helpers import ROOT


def test_a_busy_port_is_refused_naming_it(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "summarizer", "serve", "--port", str(port),
                               "--data-dir", str(tmp_path / "data"), "--db", str(tmp_path / "index.db")],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"端口 {port} 已被占用" in proc.stderr and f"port {port} is already in use" in proc.stderr
    assert f"--port {port + 1}" in proc.stderr
    assert "http://" not in proc.stdout  # the URL is not shown for a server that never started
    assert "Traceback" not in proc.stderr and "ERROR" not in proc.stderr
