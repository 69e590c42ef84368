"""Readers: the only code of the project that opens input files.

Two steps, kept apart so that a batch can fan out: `iter_inputs` walks files, directories and
`.zip` archives and yields the raw bytes of one input at a time (or an `InputError` for an
input that cannot even be read), and `decode_input` turns one input's bytes into text. Inputs
are never modified; archives are read in place, member by member, with bounded reads, so that a
malicious archive (path traversal, zip bomb, lying headers) costs an error line, not the disk or
the memory of the machine.

The format of an input is decided by its content where the bytes tell (zip magic with
`word/document.xml` is a docx whatever its name; an `.html` without markup is plain text); the
extension only breaks ties.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path, PurePosixPath

from summarizer.io.docx_text import docx_text
from summarizer.io.encoding import (
    EMPTY,
    ReadError,
    canonical_encoding,
    decoder_for,
    detect_encoding,
    normalize_newlines,
    plausibility,
)
from summarizer.io.html_text import html_text

SUPPORTED_SUFFIXES = frozenset({".txt", ".docx", ".html", ".htm", ".zip"})
DOCUMENT_SUFFIXES = SUPPORTED_SUFFIXES - {".zip"}

# Limits. A scraped page is well under 1 MiB and a docx with pictures a few dozen MiB; text and
# markup deflate 3-20x. A member, or a plain file, above 64 MiB is refused rather than held in
# memory; one archive may unpack to 1 GiB at most; a ratio above 100:1 on anything bigger than
# 1 MiB is a zip bomb (200 MB of zeros deflates ~1000:1).
DEFAULT_MAX_MEMBER_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_TOTAL_BYTES = 1024 * 1024 * 1024
DEFAULT_MAX_RATIO = 100.0
RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024
# A docx whose XML parts unpack to more than this is refused before python-docx parses it.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Formats we recognise only to refuse them with a precise message.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word .doc 不支持,请另存为 .docx / legacy .doc (OLE) not supported"),
    (b"%PDF", "PDF 不支持 / PDF not supported"),
    (b"{\\rtf", "RTF 不支持 / RTF not supported"),
    (b"\x89PNG", "图片不是文本 / PNG image, not text"),
    (b"\xff\xd8\xff", "图片不是文本 / JPEG image, not text"),
    (b"GIF8", "图片不是文本 / GIF image, not text"),
    (b"Rar!", "RAR 压缩包不支持 / RAR archive not supported"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包不支持 / 7z archive not supported"),
    (b"\x1f\x8b", "gzip 压缩文件不支持 / gzip file not supported"),
)


@dataclass(frozen=True)
class RawInput:
    """The bytes of one input file or archive member, not yet decoded."""

    source: str  # path as given/expanded, or 'archive.zip!member/path.txt'
    data: bytes

    @cached_property
    def sha256(self) -> str:
        """Hex sha256 of the bytes: identifies the input in manifests and resumed runs.
        Computed once: a batch asks for it several times per input."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class FileRef:
    """A plain input file not read yet: what a batch hands to a worker process, which reads the
    file itself, so that the bytes do not pass through the dispatching process (reading, hashing
    and pickling them there was a fifth of that process's work, serial to the whole run)."""

    source: str  # as given, for the manifest and messages
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES
    path: str = ""  # absolute: a worker may run in another directory (a Dask worker does)

    def __post_init__(self) -> None:
        if not self.path:
            object.__setattr__(self, "path", os.path.abspath(self.source))

    def read(self) -> RawInput | InputError:
        """The file's bytes, or why they cannot be had (vanished, unreadable, too large)."""
        return _read_file(self.source, self.max_member_bytes, self.path)


@dataclass(frozen=True)
class InputError:
    """An input that could not be read at all; it still gets a manifest line."""

    source: str
    error: str  # one line, '<source>: <problem>'
    sha256: str = ""  # of the bytes, when they could be read


@dataclass(frozen=True)
class TextInput:
    """One input decoded to text: '\\n' newlines, no BOM; docx/html reduced to their text lines."""

    source: str
    sha256: str
    text: str
    encoding: str  # 'utf-8', 'utf-8-sig', 'utf-16', 'gb18030', 'big5', 'docx', 'html:<enc>'
    format: str  # 'txt' | 'docx' | 'html'
    dropped: tuple[str, ...] = ()  # lines of a web page the reader left out (`html_text`)


def _html_input(source: str, sha256: str, markup: str, encoding: str) -> TextInput:
    page = html_text(markup)
    return TextInput(source, sha256, page.text, f"html:{encoding}", "html", tuple(page.dropped))


def _err(source: str, problem: str) -> str:
    return f"{source}: {problem}"


# ---------------------------------------------------------------------------------------------
# Walking paths and archives


def iter_inputs(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
    lazy: bool = False,
) -> Iterator[RawInput | InputError | FileRef]:
    """Yield every input under `paths`, one at a time, in a deterministic order.

    With `lazy`, a plain file (not an archive) comes as a `FileRef` that is read by whoever
    processes it; archive members are always read here, where the archive is open.

    A file given explicitly is yielded whatever its extension (a `.zip` is expanded); a directory
    is walked recursively in sorted order for `.txt .docx .html .htm .zip` files, skipping hidden
    entries and Word lock files (`~$…`). A missing or unreadable path, a file above
    `max_member_bytes`, and every refused archive member become an `InputError`.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    limits = (max_member_bytes, max_total_bytes, max_ratio)
    # Resolved once: `os.path.abspath` asks for it per file, and getcwd is slow while workers
    # rename files (the kernel retries its path walk), in the process that dispatches the work.
    files = partial(_file_inputs, limits=limits, cwd=os.getcwd() if lazy else None)
    for given in paths:
        path = os.fspath(given)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            yield InputError(path, _err(path, "文件或目录不存在 / no such file or directory"))
            continue
        except OSError as exc:
            yield InputError(path, _err(path, f"无法访问 / cannot access ({exc.strerror or exc})"))
            continue
        if stat.S_ISDIR(st.st_mode):
            for file in _walk(path):
                yield from files(file)
        else:
            yield from files(path)


def count_files(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many files `iter_inputs` will walk under `paths` (an archive counts as one): the
    progress bar's total, by the same walk (no stat per file: `Path.rglob` with `is_file` took
    three times as long, and the workers wait for it)."""
    total = 0
    for given in paths:
        path = os.fspath(given)
        total += sum(1 for _ in _walk(path)) if os.path.isdir(path) else 1
    return total


def _walk(root: str) -> Iterator[str]:
    """Supported files under `root`, depth first, entries sorted by name at every level.
    Symlinked directories are not followed (no loops); unreadable directories are skipped."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
            elif entry.is_file() and Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield entry.path
        except OSError:
            continue


def _file_inputs(path: str, limits: tuple[int, int, float], cwd: str | None = None
                 ) -> Iterator[RawInput | InputError | FileRef]:
    """The inputs of one file: itself, or the members of a `.zip` archive. With `cwd` (the
    lazy walk), a plain file comes unread, as a `FileRef` whose path is resolved against it."""
    max_member, _, _ = limits
    if Path(path).suffix.lower() == ".zip":
        st = _regular_file(path, path)
        if isinstance(st, InputError):
            yield st
        else:
            yield from _archive_inputs(path, limits)
        return
    if cwd is None:
        yield _read_file(path, max_member)
    else:
        yield FileRef(path, max_member, os.path.normpath(os.path.join(cwd, path)))


def _regular_file(source: str, path: str) -> os.stat_result | InputError:
    """The file's status, or why it is not a regular file one can read."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return InputError(source, _err(source, f"无法访问 / cannot access ({exc.strerror or exc})"))
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
        return InputError(source, _err(source, "不是普通文件 / not a regular file"))
    return st


def _read_file(source: str, max_member: int, path: str = "") -> RawInput | InputError:
    """One plain file's bytes (read from `path`, by default `source`), or why not."""
    path = path or source
    st = _regular_file(source, path)
    if isinstance(st, InputError):
        return st
    if st.st_size > max_member:
        return InputError(source, _err(source, f"文件过大 / file too large ({st.st_size} > {max_member} bytes)"))
    try:
        with open(path, "rb") as f:
            # Asked for the size found (one more byte tells a file that grew since): `read(n)`
            # sets aside n bytes first, and n = the 64 MiB limit cost 4× the read of a page.
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += f.read(max_member + 1 - len(data))
    except OSError as exc:
        return InputError(source, _err(source, f"无法读取 / cannot read ({exc.strerror or exc})"))
    if len(data) > max_member:
        return InputError(source, _err(source, f"文件过大 / file too large (> {max_member} bytes)"))
    return RawInput(source, data)


def _file_sha256(path: str) -> str:
    """sha256 of a file read in chunks (an archive may be large)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(_CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name with '/' separators. Zips written without the UTF-8 flag (bit 11) by
    Chinese Windows tools store GBK names, which zipfile decodes as cp437 mojibake; cp437 maps all
    256 bytes, so the original bytes are recovered exactly and re-decoded as UTF-8 or GBK,
    whichever reads as more plausible Chinese (a short GBK name can be valid UTF-8 by chance)."""
    name = info.orig_filename
    if not info.flag_bits & 0x800 and not name.isascii():
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = b""
        readings = []
        for codec in ("utf-8", "gbk"):
            try:
                readings.append(raw.decode(codec))
            except UnicodeDecodeError:
                pass
        if readings:
            name = max(readings, key=plausibility)  # max keeps the first (UTF-8) on a tie
    return name.replace("\\", "/")


_DRIVE = re.compile(r"^[A-Za-z]:")


def is_unsafe_member(name: str) -> bool:
    """True for names that would land outside an extraction directory: absolute paths (POSIX,
    UNC `\\\\server`, Windows drive `C:`), or any `..` part. `name` has '/' separators already."""
    if name.startswith("/") or _DRIVE.match(name):
        return True
    return ".." in PurePosixPath(name).parts


def _archive_inputs(path: str, limits: tuple[int, int, float]) -> Iterator[RawInput | InputError]:
    """Members of one archive, read in place. See the module docstring for what is refused."""
    max_member, max_total, max_ratio = limits
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        yield InputError(path, _err(path, f"压缩包损坏或不是 zip 文件 / corrupt or not a zip archive ({exc})"),
                         _file_sha256(path))
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        names = {id(i): member_name(i) for i in infos}
        if any(n == "word/document.xml" for n in names.values()):
            # A Word document that was named .zip: it is one input, not an archive.
            yield from _docx_named_zip(path, max_member)
            return
        infos.sort(key=lambda i: names[id(i)])
        wanted = [i for i in infos if PurePosixPath(names[id(i)]).suffix.lower() in DOCUMENT_SUFFIXES]
        declared = sum(i.file_size for i in wanted)
        if declared > max_total:
            yield InputError(path, _err(path, f"压缩包解压后过大 / archive too large when unpacked "
                                              f"({declared} > {max_total} bytes)"), _file_sha256(path))
            return
        total = 0
        for info in infos:
            name = names[id(info)]
            source = f"{path}!{name}"
            if is_unsafe_member(name):
                yield InputError(source, _err(source, "压缩包成员路径越界 / member path escapes the archive"))
                continue
            pure = PurePosixPath(name)
            if pure.parts[0] == "__MACOSX" or pure.name.startswith(("._", "~$")):
                continue  # macOS resource forks and Word lock files are not documents
            suffix = pure.suffix.lower()
            if suffix == ".zip":
                yield InputError(source, _err(source, "嵌套压缩包未展开 / nested archive not expanded"))
                continue
            if suffix not in DOCUMENT_SUFFIXES:
                continue
            result = _read_member(zf, info, source, max_member, max_ratio)
            if isinstance(result, InputError):
                yield result
                continue
            total += len(result.data)
            if total > max_total:
                yield InputError(path, _err(path, f"压缩包解压后过大 / archive too large when unpacked "
                                                  f"(> {max_total} bytes)"))
                return
            yield result


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, max_member: int,
                 max_ratio: float) -> RawInput | InputError:
    """One member's bytes, or why not. Declared sizes are checked first, then the read itself is
    bounded chunk by chunk, so a header that understates the size cannot exhaust memory."""
    def ratio_ok(size: int) -> bool:
        return size <= RATIO_FLOOR_BYTES or size <= max_ratio * max(info.compress_size, 1)

    if info.flag_bits & 0x1:
        return InputError(source, _err(source, "压缩包成员已加密 / member is encrypted"))
    if info.file_size > max_member:
        return InputError(source, _err(source, f"压缩包成员过大 / member too large "
                                               f"({info.file_size} > {max_member} bytes)"))
    if not ratio_ok(info.file_size):
        return InputError(source, _err(source, f"压缩比异常(疑似压缩炸弹) / absurd compression ratio, "
                                               f"zip bomb suspected ({info.file_size}:{info.compress_size})"))
    chunks: list[bytes] = []
    size = 0
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_member:
                    return InputError(source, _err(source, f"压缩包成员过大 / member too large (> {max_member} bytes)"))
                if not ratio_ok(size):
                    return InputError(source, _err(source, "压缩比异常(疑似压缩炸弹) / absurd compression ratio, "
                                                           "zip bomb suspected"))
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        return InputError(source, _err(source, f"压缩包成员损坏 / corrupt member ({exc})"))
    except (NotImplementedError, RuntimeError) as exc:  # unsupported method, encryption
        return InputError(source, _err(source, f"无法解压 / cannot unpack ({exc})"))
    return RawInput(source, b"".join(chunks))


def _docx_named_zip(path: str, max_member: int) -> Iterator[RawInput | InputError]:
    yield _read_file(path, max_member)  # read by its size, as any plain file


# ---------------------------------------------------------------------------------------------
# Decoding


def read_text(path: str | os.PathLike[str]) -> TextInput:
    """Read and decode one file (not an archive). Raises ReadError naming the file."""
    source = os.fspath(path)
    try:
        st = os.stat(source)
    except FileNotFoundError:
        raise ReadError(_err(source, "文件不存在 / no such file")) from None
    except OSError as exc:
        raise ReadError(_err(source, f"无法访问 / cannot access ({exc.strerror or exc})")) from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(_err(source, "不是普通文件 / not a regular file"))
    if st.st_size > DEFAULT_MAX_MEMBER_BYTES:
        raise ReadError(_err(source, f"文件过大 / file too large ({st.st_size} > {DEFAULT_MAX_MEMBER_BYTES} bytes)"))
    try:
        with open(source, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise ReadError(_err(source, f"无法读取 / cannot read ({exc.strerror or exc})")) from None
    return decode_input(RawInput(source, data))


def decode_input(raw: RawInput) -> TextInput:
    """Decode one input by its content: docx, html or plain text. Raises ReadError."""
    data, source = raw.data, raw.source
    if not data:
        raise ReadError(_err(source, EMPTY))
    suffix = PurePosixPath(source.replace("\\", "/")).suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        return TextInput(source, raw.sha256, docx_text(data, source, suffix), "docx", "docx")
    for magic, problem in _OTHER_MAGIC:
        if data.startswith(magic):
            raise ReadError(_err(source, problem))
    if suffix == ".docx":
        raise ReadError(_err(source, "不是有效的 Word 文档 / not a valid docx (no zip signature)"))

    maybe_html = suffix in (".html", ".htm") or _HTML_START.search(data[:2048].replace(b"\x00", b"")) is not None
    if maybe_html:
        text, encoding = _decode_html_bytes(data, source)
        if _is_markup(text, suffix):
            return _html_input(source, raw.sha256, text, encoding)
    else:
        text, encoding = detect_encoding(data, source)
        if _is_markup(text, suffix):  # e.g. a page saved as .txt
            return _html_input(source, raw.sha256, text, encoding)
    return TextInput(source, raw.sha256, text, encoding, "txt")


_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE)
_HTML_STRONG = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:p|div|br|span|table|tr|td|li|ul|a|h[1-6]|article|section|meta|title|font|b|strong)\b[^<>]*>",
                       re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _is_markup(text: str, suffix: str) -> bool:
    """Whether decoded text is HTML: a document skeleton anywhere near the top, or (for
    `.html`/`.htm`, which may be fragments) any tag; a few scattered tags in a `.txt` are text."""
    head = text[:65536]
    if _HTML_STRONG.search(head[:4096]):
        return True
    tags = len(_HTML_TAG.findall(head))
    return tags >= 1 if suffix in (".html", ".htm") else tags >= 5


def _decode_html_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode a page: a BOM decides; valid UTF-8 wins even over a `<meta charset>` (pages are
    often re-saved as UTF-8 without updating the meta); then the declared charset if it decodes
    cleanly; then the general detection."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return detect_encoding(data, source)
    try:
        return normalize_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", "replace")
        for codec in decoder_for(declared):
            text = data.decode(codec, errors="replace")
            if text.count("\ufffd") <= max(2, len(text) // 2000):
                return normalize_newlines(text), canonical_encoding(codec)
    return detect_encoding(data, source)
