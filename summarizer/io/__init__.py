"""Input and output: the only modules that touch files.

`readers` walks files, directories and zip archives and decodes each input (txt in any of the
usual Chinese encodings, docx, html) to text, with `docx_text` and `html_text` for those formats;
`encoding` decides text encodings; `writers`
writes outputs atomically. `data_readers` reads the activity data of `summarizer draft` (YAML,
JSON, xlsx) into `compose.model`, and `data_template` writes its empty xlsx form.
"""

from summarizer.io.encoding import ReadError, detect_encoding
from summarizer.io.readers import (
    DEFAULT_MAX_MEMBER_BYTES,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_TOTAL_BYTES,
    SUPPORTED_SUFFIXES,
    FileRef,
    InputError,
    RawInput,
    TextInput,
    count_files,
    decode_input,
    iter_inputs,
    read_text,
)

__all__ = [
    "DEFAULT_MAX_MEMBER_BYTES",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_TOTAL_BYTES",
    "SUPPORTED_SUFFIXES",
    "FileRef",
    "InputError",
    "RawInput",
    "ReadError",
    "TextInput",
    "count_files",
    "decode_input",
    "detect_encoding",
    "iter_inputs",
    "read_text",
]
