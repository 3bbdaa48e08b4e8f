"""A file refused at triage keeps the hash of the bytes it was read as, and its error line names it as the
user gave it: an absolute input folder's path on this machine is not in the line."""
from __future__ import annotations

import hashlib
from pathlib import Path

import plansheet

from conftest import SAMPLES


def test_a_refused_file_keeps_its_hash_and_its_error_names_it_without_the_machine_path(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    truncated = (SAMPLES / "printed" / "result.cid.pdf").read_bytes()[:5000].replace(b"%PDF-", b"%XDF-", 1)
    (inbox / "cut.pdf").write_bytes(truncated)
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "image.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    results = {r.source_file: r for r in plansheet.extract([inbox.resolve()], tmp_path / "out")}
    assert sorted(results) == ["inbox/cut.pdf", "inbox/empty.pdf", "inbox/image.xlsx"]
    for name, data in (("cut.pdf", truncated), ("empty.pdf", b""), ("image.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(100))):
        result = results[f"inbox/{name}"]
        assert result.status.value == "failed" and result.error_stage.value == "triage"
        assert result.sha256 == hashlib.sha256(data).hexdigest()
        assert result.error.startswith(f"inbox/{name}: ") and str(tmp_path) not in result.error
