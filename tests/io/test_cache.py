"""The per-user model cache: built once, loaded after, rebuilt when what it was built from changes."""

from __future__ import annotations

import subprocess
import sys

from summarizer.io.cache import cache_dir, cached
from tests.conftest import RAW


def test_an_entry_is_built_once_then_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "counts.txt"
    source.write_text("学校 3\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(1)
        return {"学校": len(builds)}

    assert cached("model", [source, "v1"], build) == {"学校": 1}
    assert cached("model", [source, "v1"], build) == {"学校": 1} and len(builds) == 1
    # What it was built from changed: a new entry, built afresh.
    source.write_text("学校 4\n", encoding="utf-8")
    assert cached("model", [source, "v1"], build) == {"学校": 2}
    assert cached("model", [source, "v2"], build) == {"学校": 3}
    assert len(list((tmp_path / "cache").glob("model-*.pickle"))) == 3


def test_a_damaged_entry_is_rebuilt_and_an_unwritable_cache_is_passed_over(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    assert cached("model", ["v1"], lambda: [1, 2, 3]) == [1, 2, 3]
    [entry] = (tmp_path / "cache").glob("model-*.pickle")
    entry.write_bytes(entry.read_bytes()[:5])  # cut short
    assert cached("model", ["v1"], lambda: [4]) == [4]
    assert cached("model", ["v1"], lambda: [5]) == [4]  # the repaired entry

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(blocker / "cache"))
    assert cached("model", ["v1"], lambda: "built") == "built"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", "off")
    assert cache_dir() is None and cached("model", ["v1"], lambda: "fresh") == "fresh"


def test_the_cached_character_model_scores_as_a_fresh_build(tmp_path):
    """The default model in a process with an empty cache (built) and in the next (loaded)
    gives the same scores as one built without the cache."""
    script = (
        "from summarizer.text.charlm import CharLM; lm = CharLM.default(); "
        "print([round(lm.logp(a, b), 9) for a, b in ['学校', '校科', '帮扶', '工作', '%x', '。總']])"
    )
    built, loaded, fresh = _built_loaded_and_fresh(script, tmp_path / "cache")
    assert built == loaded == fresh and fresh.startswith("[-")
    assert len(list((tmp_path / "cache").glob("charlm-*.pickle"))) == 1


def _built_loaded_and_fresh(script: str, cache: object) -> list[str]:
    """What `script` prints in a fresh process with an empty cache (it builds), in the next
    (it loads) and with the cache off."""
    import os

    return [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "SUMMARIZER_CACHE_DIR": str(where)}).stdout
            for where in (cache, cache, "off")]


def test_the_cached_chrome_model_predicts_as_the_shipped_weights(tmp_path, monkeypatch):
    from summarizer.clean import chrome

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    lines, _ = chrome.training_data()
    shipped = chrome.ChromeModel.from_json(
        (chrome.resources.files("summarizer") / "data" / chrome.MODEL_FILE).read_text(encoding="utf-8"))
    chrome.default_model.cache_clear()
    try:
        built = chrome.default_model()  # built and stored
        chrome.default_model.cache_clear()
        loaded = chrome.default_model()  # loaded from the entry
        assert loaded is not built and len(list((tmp_path / "cache").glob("chrome-*.pickle"))) == 1
        assert (loaded.predict_proba(lines) == shipped.predict_proba(lines)).all()
    finally:
        chrome.default_model.cache_clear()


def test_the_cached_mojibake_tables_equal_fresh_builds(tmp_path):
    """The mojibake repair's tables (the GB18030 decode table, the symbol table, the guesses for a
    lost byte), in a process with an empty cache (built), in the next (loaded) and with the cache
    off: every seed page repaired byte for byte the same, and the seed's mojibake repaired."""
    script = (
        "import hashlib, pathlib; from summarizer.clean.mojibake import repair_mojibake as r; "
        f"pages = sorted(pathlib.Path({str(RAW)!r}).glob('*.txt')); "
        "out = [r(p.read_text(encoding='utf-8', errors='replace')) for p in pages]; "
        "print(sum(c['mojibake_repaired'] for _, c in out), hashlib.sha256(repr(out).encode()).hexdigest(), "
        "r('縮短了城鄉(xiāng)差距?,F(xiàn)將此項')[0])"
    )
    built, loaded, fresh = _built_loaded_and_fresh(script, tmp_path / "cache")
    assert built == loaded == fresh
    repairs, _, repaired = fresh.split()
    assert int(repairs) > 0 and "差距。現(xiàn)將" in repaired
    assert {p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in (tmp_path / "cache").glob("gbk-*.pickle")} \
        == {"gbk-tables", "gbk-guesses"}
