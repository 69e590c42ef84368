"""Writers: the journal a resumed run appends to, and files that appear whole or not at all."""

from __future__ import annotations

import pytest

from summarizer.io.writers import JOURNAL, AtomicFile, Journal, read_at, read_records


def test_a_journal_cut_short_is_continued_on_a_new_line(tmp_path):
    path = tmp_path / JOURNAL
    path.write_bytes(b'{"source":"a.txt","status":"ok"}\n{"source":"b.tx')
    journal = Journal(tmp_path)
    where = journal.append([{"source": "c.txt", "status": "ok"}, {"source": "c.txt", "status": "ok", "n": 2}])
    journal.close()
    assert [r["source"] for r in read_records(path)] == ["a.txt", "c.txt", "c.txt"]
    with path.open("rb") as f:
        assert read_at(f, where) == [{"source": "c.txt", "status": "ok"}, {"source": "c.txt", "status": "ok", "n": 2}]


def test_a_journal_writes_its_first_entry_at_once_and_the_next_ones_at_most_once_a_second(tmp_path):
    path = tmp_path / JOURNAL
    journal = Journal(tmp_path)
    journal.append([{"source": "a.txt", "status": "ok"}])
    assert [r["source"] for r in read_records(path)] == ["a.txt"]  # a watcher sees the run has results
    journal.append([{"source": "b.txt", "status": "ok"}])
    assert [r["source"] for r in read_records(path)] == ["a.txt"]  # pending: one write per interval
    journal.close()
    assert [r["source"] for r in read_records(path)] == ["a.txt", "b.txt"]


def test_an_atomic_file_appears_whole_on_commit_and_not_at_all_otherwise(tmp_path):
    target = tmp_path / "sub" / "manifest.jsonl"
    with AtomicFile(target) as f:
        f.write(b"first\n")
        f.commit()
    assert target.read_bytes() == b"first\n"
    with pytest.raises(RuntimeError), AtomicFile(target) as f:
        f.write(b"second, never finished\n")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"first\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["manifest.jsonl"]  # no temporary left


def test_record_blocks_are_runs_of_one_key_and_a_cut_line_belongs_to_none(tmp_path):
    from summarizer.io.writers import record_blocks

    path = tmp_path / "manifest.jsonl"
    lines = [b'{"source":"a","n":1}\n', b'{"source":"a","n":2}\n', b"\n", b'{"source":"b","n":1}\n',
             b'{"sour\n', b'{"source":"a","n":3}\n']
    path.write_bytes(b"".join(lines))
    blocks = list(record_blocks(path, lambda r: r["source"]))
    assert [k for k, _, _ in blocks] == ["a", "b", "a"]
    with path.open("rb") as f:
        assert [[r["n"] for r in read_at(f, (offset, length))] for _, offset, length in blocks] == [[1, 2], [1], [3]]
