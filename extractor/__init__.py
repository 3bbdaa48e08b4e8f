"""plansheet: Japanese municipal management-plan sheets (部の運営方針) → tidy tables.

    >>> import plansheet
    >>> results = plansheet.extract(["samples"], "output")
    >>> tables = plansheet.load("output")
    >>> tables["goals"].head()

The public names are imported lazily, so ``plansheet --help`` and worker processes do not
pay for pandas and pyarrow until they need them.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from plansheet.version import __version__

_EXPORTS = {
    "extract": "plansheet.api", "load": "plansheet.api",
    "SourceResult": "plansheet.results", "Status": "plansheet.results",
    "Settings": "plansheet.settings", "OcrMode": "plansheet.settings",
}
__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # pragma: no cover
    from plansheet.api import extract, load
    from plansheet.results import SourceResult, Status
    from plansheet.settings import OcrMode, Settings


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'plansheet' has no attribute {name!r}")
