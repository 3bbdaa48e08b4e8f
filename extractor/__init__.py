"""plansheet: Japanese municipal management-plan sheets (部の運営方針) → tidy tables.

    >>> import plansheet
    >>> results = plansheet.extract(["samples"], "output")
    >>> tables = plansheet.load("output")
    >>> tables["goals"].head()
"""
from __future__ import annotations

__version__ = "0.3.0"

from plansheet.api import extract, load  # noqa: E402
from plansheet.results import SourceResult, Status  # noqa: E402
from plansheet.settings import OcrMode, Settings  # noqa: E402

__all__ = ["__version__", "extract", "load", "SourceResult", "Status", "Settings", "OcrMode"]
