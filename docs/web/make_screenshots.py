"""Screenshots of the web app's pages for the README (`docs/web/*.png`).

Why a script: the pictures should show the app as it is, so they are taken from the real server
(`summarizer serve` in a subprocess, with a throwaway data directory and an index of the bundled
corpus) in Debian's headless Chromium, the same way the end-to-end tests drive it. Run it from
the checkout: `.venv/bin/python docs/web/make_screenshots.py`.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def seed_index(db: Path) -> None:
    """The reference index of the bundled corpus's clean articles (what `index corpus` builds)."""
    from summarizer.check.index import ReferenceIndex

    docs = []
    for f in sorted((ROOT / "corpus" / "clean").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        docs.append((f.stem, f.stem, text.split("\n", 1)[0], text))
    with ReferenceIndex(db) as index:
        index.add_many(docs)


def start_server(data: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", "serve", "--port", str(port),
                             "--data-dir", str(data)], cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def fill_draft(page: Page) -> None:
    page.goto("/draft")
    page.fill("#f-topic", "学校结对帮扶")
    page.fill("#f-school", "望江县第二中心小学")
    page.fill("#f-period", "2024年")
    page.select_option("#f-role", "受援")
    page.fill("#f-partners", "建设街小学")
    rows = page.locator("#activities tbody tr")
    page.click("button.add-row[data-table=activities]")
    for i, values in enumerate([("2024-03-15", "送教下乡", "建设街小学骨干教师来校上示范课", "示范课=3；听课教师=25"),
                                ("2024-05-20/2024-05-22", "跟岗学习", "我校教师赴建设街小学跟岗学习", "跟岗教师=4")]):
        row = rows.nth(i)
        for name, value in zip(("act_date", "act_kind", "act_title", "act_counts"), values):
            row.locator(f"input[name={name}]").fill(value)
    page.locator("#results input[name=res_text]").fill("学困生转化成效明显")
    page.locator("#results input[name=res_counts]").fill("转化学困生=18")
    page.click("#submit-draft")
    page.wait_for_selector("#result")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        seed_index(data / "index.db")
        proc, url = start_server(data)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860}, base_url=url)
                page.goto("/")
                page.screenshot(path=OUT / "home.png")
                page.goto("/draft")  # the form, with what validation says beside the fields
                page.fill("#f-school", "望江县第二中心小学")
                page.fill("#f-period", "本学年")
                page.locator("#activities input[name=act_date]").fill("2024-13-40")
                page.click("#submit-draft")
                page.wait_for_selector("#form-errors")
                page.screenshot(path=OUT / "draft_errors.png", full_page=True)
                fill_draft(page)
                page.screenshot(path=OUT / "draft.png")
                page.goto("/check")
                raws = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
                page.set_input_files("#check-form input[type=file]", [str(r) for r in raws])
                page.click("#submit-check")
                page.wait_for_selector("#ratios")
                page.wait_for_timeout(500)
                page.screenshot(path=OUT / "check.png")
                page.goto("/corpus")
                page.screenshot(path=OUT / "corpus.png")
                archive = Path(tmp) / "网页.zip"
                with zipfile.ZipFile(archive, "w") as zf:
                    for r in raws:
                        zf.writestr(r.name, r.read_bytes())
                page.goto("/clean")
                page.set_input_files("#clean-form input[type=file]", str(archive))
                page.click("#submit-clean")
                page.wait_for_selector("#dl-zip", state="visible", timeout=120_000)
                page.screenshot(path=OUT / "clean.png")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    for name in ("home", "draft", "draft_errors", "check", "corpus", "clean"):
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
