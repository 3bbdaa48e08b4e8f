"""Build Arrow tables from Python rows without importing pandas.

The first time ``pyarrow.array`` (or ``Table.from_pylist``) converts a Python list, pyarrow
imports pandas only to ask whether the list is a pandas object (apache/arrow#34994). That
import costs 0.2–0.4 CPU-s, more than a small batch spends writing its rows, and the ingest
path never uses pandas. :func:`skip_pandas_probe` lets pyarrow look while pandas cannot be
imported, so it notes "no pandas"; when something imports pandas later (``plansheet.load``,
the caller's own code), pyarrow is told at once, so pandas objects convert as usual.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType


class _Refuse(importlib.abc.MetaPathFinder):
    """Makes ``import pandas`` fail while pyarrow probes for it."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == "pandas":
            raise ImportError("pandas is not imported while pyarrow probes for it (plansheet.output.pandas_probe)")
        return None


class _TellPyarrow(importlib.abc.MetaPathFinder):
    """When pandas is imported after the probe, has pyarrow look for it again once it is loaded."""

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "pandas":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_then_tell(module: ModuleType) -> None:
            exec_module(module)
            import pyarrow as pa

            pa.lib._pandas_api.compat  # noqa: B018 (the property imports pandas' pyarrow glue: pandas is seen)

        spec.loader.exec_module = exec_then_tell  # type: ignore[method-assign]
        return spec


def skip_pandas_probe() -> None:
    """Have pyarrow settle that pandas is absent, unless it is imported already (then nothing to do).

    Call before the first conversion of Python values to Arrow; calling it again does nothing.
    """
    if "pandas" in sys.modules or any(isinstance(f, _TellPyarrow) for f in sys.meta_path):
        return
    import pyarrow as pa

    refuse = _Refuse()
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([0])  # pyarrow's one probe: it tries pandas once and remembers the answer
    finally:
        sys.meta_path.remove(refuse)
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _TellPyarrow())
