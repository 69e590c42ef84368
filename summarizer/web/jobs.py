"""Jobs of the web app: one private directory per job, safe uploads, progress.

Why this module exists: the web app accepts files from people it does not know, so everything
that touches the disk goes through here. Each job lives in `DATA_DIR/jobs/<id>/` where the id is
`secrets.token_urlsafe(16)` (128 random bits): nobody can guess another user's job, and a URL
only ever names a job id (checked against a strict pattern) and one of a few fixed output names,
so no client string becomes a path. Uploaded files are stored under a sanitised basename inside
the job's `uploads/` directory, their type is decided by their bytes (not their name), and they
are deleted once the job has read them.
"""

from __future__ import annotations

import io
import re
import secrets
import shutil
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from summarizer.io.encoding import ReadError, detect_encoding

__all__ = [
    "OUTPUT_NAMES",
    "Job",
    "JobStore",
    "UploadRejected",
    "UploadTooLarge",
    "count_members",
    "safe_name",
    "save_upload",
    "shown_name",
    "sniff",
]

# The only files a job hands back; a download URL must name one of them.
OUTPUT_NAMES = frozenset({"draft.docx", "draft.md", "report.html", "result.xlsx", "clean.zip",
                          "removed.jsonl"})
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_CHUNK = 64 * 1024


class UploadRejected(ValueError):
    """An upload the app will not process; `str()` is the Chinese message for the user."""


class UploadTooLarge(UploadRejected):
    """An upload past the configured size limit (answered with HTTP 413)."""


@dataclass
class Job:
    """A job's directory and its progress (read by the status endpoint the pages poll)."""

    id: str
    dir: Path
    state: str = "running"  # running | done | error
    done: int = 0
    total: int = 0
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uploads(self) -> Path:
        """Where uploads wait until the job has read them (removed afterwards)."""
        path = self.dir / "uploads"
        path.mkdir(exist_ok=True)
        return path

    def remove_uploads(self) -> None:
        """Delete the uploaded inputs and any scratch space: only the outputs stay."""
        for name in ("uploads", "work"):
            shutil.rmtree(self.dir / name, ignore_errors=True)

    def output(self, name: str) -> Path:
        """The path of one of the fixed output files."""
        if name not in OUTPUT_NAMES:
            raise ValueError(name)
        return self.dir / name

    def status(self) -> dict[str, Any]:
        """The JSON the pages poll: state, files done and total, a message."""
        return {"id": self.id, "state": self.state, "done": self.done, "total": self.total,
                "message": self.message}


class JobStore:
    """The jobs under `root` (`DATA_DIR/jobs`); progress is kept in memory for this process.

    Jobs older than `keep_hours` are deleted when a new job starts: results are for downloading
    right away, and a school's reports should not pile up on the machine.
    """

    def __init__(self, root: Path, keep_hours: float = 24) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_hours * 3600
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def purge(self) -> int:
        """Delete the finished jobs last touched more than `keep_hours` ago; returns how many."""
        cutoff = time.time() - self.keep_seconds
        removed = 0
        for path in self.root.iterdir():
            try:
                old = path.is_dir() and path.stat().st_mtime < cutoff
            except OSError:
                continue
            job = self._jobs.get(path.name)
            if old and (job is None or job.state != "running"):
                shutil.rmtree(path, ignore_errors=True)
                with self._lock:
                    self._jobs.pop(path.name, None)
                removed += 1
        return removed

    def create(self) -> Job:
        """A new job with a fresh unguessable id and its own directory."""
        self.purge()
        while True:
            ident = secrets.token_urlsafe(16)
            path = self.root / ident
            try:
                path.mkdir(mode=0o700)
                break
            except FileExistsError:  # pragma: no cover - 128 random bits
                continue
        job = Job(ident, path)
        with self._lock:
            self._jobs[ident] = job
        return job

    def discard(self, job: Job) -> None:
        """Remove a job that produced nothing (its upload was refused)."""
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.dir, ignore_errors=True)

    def get(self, ident: str) -> Job | None:
        """The job with this id, or None for anything that is not an existing job's id (a
        guessed id, `..`, a slash): the id is matched against its strict form before use."""
        if not _JOB_ID.fullmatch(ident):
            return None
        with self._lock:
            job = self._jobs.get(ident)
        if job is not None:
            return job
        path = self.root / ident
        if path.is_dir():  # a job of an earlier run of the server: its outputs are still there
            job = Job(ident, path, state="done")
            with self._lock:
                self._jobs[ident] = job
            return job
        return None


def safe_name(filename: str | None, default: str = "upload") -> str:
    """A basename safe to create inside a job directory: the last path component of what the
    client sent, without control characters, separators or a leading dot, at most 80 chars."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    name = name.strip().lstrip(".").strip()
    if not name or name in (".", ".."):
        name = default
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 8:
        return stem[:72] + "." + ext
    return name[:80]


def sniff(head: bytes, path: Path) -> str:
    """The file's type by its content: 'docx', 'xlsx', 'zip', 'html' or 'txt'.

    Office files and archives are ZIPs (told apart by their members); anything else must
    decode as text (the project's own encoding detection). Raises `UploadRejected` otherwise.
    """
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            raise UploadRejected("文件已损坏：看起来是压缩包（docx/xlsx/zip），但无法打开") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    data = path.read_bytes()
    try:
        text, _encoding = detect_encoding(data, "upload")
    except ReadError:
        raise UploadRejected("不是可识别的文件：内容既不是 Word 文档（.docx）、压缩包（.zip），"
                             "也不是文本或网页（.txt/.html）") from None
    start = text[:2048].lstrip().lower()
    if start.startswith(("<!doctype html", "<html")) or "<body" in start or "<p>" in start:
        return "html"
    return "txt"


_WHAT = {"docx": "Word 文档", "xlsx": "Excel 工作簿", "zip": "zip 压缩包"}
_SUFFIX = {"docx": ".docx", "xlsx": ".xlsx", "zip": ".zip", "html": ".html", "txt": ".txt"}


def save_upload(stream: BinaryIO, filename: str | None, dest: Path, max_bytes: int,
                allowed: tuple[str, ...]) -> tuple[Path, str]:
    """Copy an upload into `dest` in chunks, stopping at `max_bytes`; then decide its type by
    content and give it the matching suffix (the library reads by suffix, so a `.txt` that is
    really a Word file is read as Word, and a `.docx` that is not a ZIP is refused).

    Returns (path, kind). Raises `UploadTooLarge` or `UploadRejected` (the partial file removed).
    """
    name = safe_name(filename)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    tmp = dest / f".part-{secrets.token_hex(8)}"
    size = 0
    head = b""
    try:
        with tmp.open("wb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLarge(too_large_message(max_bytes))
                if len(head) < 16:
                    head += chunk[:16]
                out.write(chunk)
        if size == 0:
            raise UploadRejected(f"“{name}”是空文件")
        try:
            kind = sniff(head, tmp)
        except UploadRejected as exc:
            raise UploadRejected(f"“{name}”：{exc}") from None
        claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if claimed in ("docx", "xlsx", "zip") and kind != claimed:
            # A name promising a Word file, workbook or archive over other bytes is a renamed
            # or broken file: say so rather than quietly reading it as something else.
            raise UploadRejected(f"“{name}”的扩展名是 .{claimed}，但内容不是 {_WHAT[claimed]}（文件已损坏或被改了扩展名）")
        if kind not in allowed:
            shown = "、".join(_SUFFIX[k] for k in allowed)
            raise UploadRejected(f"“{name}”的内容是 {_SUFFIX[kind]} 文件，这里只接受 {shown}")
        path = dest / (stem + _SUFFIX[kind])
        n = 1
        while path.exists():
            n += 1
            path = dest / f"{stem}_{n}{_SUFFIX[kind]}"
        tmp.rename(path)
        return path, kind
    finally:
        tmp.unlink(missing_ok=True)


def too_large_message(max_bytes: int) -> str:
    """The Chinese message for an upload past the limit."""
    return f"上传的文件太大：超过了 {max_bytes // (1024 * 1024)} MB 的上限，请拆分后分批上传。"


def zip_dir(directory: Path) -> bytes:
    """A ZIP of every file under `directory` (relative names), for the cleanup download."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                zf.write(path, path.relative_to(directory).as_posix())
    return buf.getvalue()


def shown_name(source: str, job: Job) -> str:
    """A source path as the user knows it: relative to the job's uploads directory."""
    prefix = str(job.uploads) + "/"
    return source[len(prefix):] if source.startswith(prefix) else source


def count_members(paths: list[Path]) -> int:
    """How many inputs the cleanup will see (zip members counted), for the progress bar."""
    total = 0
    for p in paths:
        if p.suffix == ".zip":
            try:
                with zipfile.ZipFile(p) as zf:
                    total += sum(1 for i in zf.infolist() if not i.is_dir()) or 1
            except zipfile.BadZipFile:
                total += 1
        else:
            total += 1
    return total


def data_template():
    """The empty `.xlsx` data form (`io.data_template.write_template`) as a download, 数据模板.xlsx."""
    import tempfile

    from fastapi.responses import Response

    from summarizer.io.data_template import write_template

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        write_template(path)
        return Response(path.read_bytes(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": "attachment; filename*=UTF-8''"
                                 "%E6%95%B0%E6%8D%AE%E6%A8%A1%E6%9D%BF.xlsx"})
