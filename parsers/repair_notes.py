"""The audit line an OCR repair leaves among a document's warnings.

A repair (:mod:`plansheet.parsers.ocr_repair`) says what it changed in a warning holding
:data:`REPAIR_NOTE`; such a line does not make a file ``partial``. Kept apart from the repair
rules, whose patterns are compiled at import, so that telling a note from a doubt costs nothing.
"""
from __future__ import annotations

REPAIR_NOTE = ": OCR repair ("


def is_repair_note(warning: str) -> bool:
    """True for the audit line of a repair (which does not make a file ``partial``)."""
    return REPAIR_NOTE in warning
