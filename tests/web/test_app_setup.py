"""How the app is put together: templates found as package data, uploads parsed per request
with no process-wide setting changed."""

from __future__ import annotations

import warnings

from starlette import formparsers

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from summarizer.web.app import create_app  # noqa: E402


def test_uploads_stay_in_memory_up_to_the_limit_without_a_process_wide_setting(tmp_path, monkeypatch):
    before = formparsers.MultiPartParser.spool_max_size
    sizes: list[int] = []

    class Recording(formparsers.SpooledTemporaryFile):  # type: ignore[misc]
        def __init__(self, *args, max_size: int = 0, **kwargs) -> None:
            sizes.append(max_size)
            super().__init__(*args, max_size=max_size, **kwargs)

    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", Recording)
    client = TestClient(create_app(tmp_path / "data", max_upload_mb=5))
    big = ("一段足够长的文字。" * 80_000).encode("utf-8")  # ~2 MB: past Starlette's 1 MB default spool
    response = client.post("/draft/upload", files={"file": ("数据.xlsx", big, "application/octet-stream")})
    assert response.status_code == 400  # not a workbook; what matters is how it was parsed
    assert formparsers.MultiPartParser.spool_max_size == before
    assert sizes and min(sizes) > 5 * 1024 * 1024


def test_every_page_renders_from_the_packaged_templates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing is looked up relative to the working directory
    client = TestClient(create_app(tmp_path / "data"))
    for url in ("/", "/draft", "/check", "/corpus", "/clean"):
        response = client.get(url)
        assert response.status_code == 200 and "</html>" in response.text, url
