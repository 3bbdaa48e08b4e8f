"""Let a command that only writes tables run without importing pandas.

The first time pyarrow converts a Python list it imports pandas (if installed), only to ask
whether the list is a pandas object and to learn pandas' missing-value sentinels (``pd.NA``,
``NaT``; apache/arrow#34994). That import costs 0.2–0.4 CPU-s, more than a small batch
spends writing its rows, and ``plansheet extract`` / ``ingest`` never use pandas.

:func:`skip_pandas_probe` converts a list while pandas cannot be imported, so pyarrow
settles "no pandas" for the rest of the process. That answer is final in pyarrow's C++ layer:
pandas imported later in the same process would convert without its missing-value sentinels
(``pa.array([pd.NA])`` fails). So only a command that owns its process and never hands
pandas objects to pyarrow calls it (the CLI's ``extract`` and ``ingest``, not with Dask);
the Python API (:func:`plansheet.extract`) leaves pyarrow alone.
"""
from __future__ import annotations

import importlib.abc
import sys


class _Refuse(importlib.abc.MetaPathFinder):
    """Makes ``import pandas`` fail while pyarrow probes for it."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == "pandas" or fullname.startswith("pandas."):
            raise ImportError("pandas is not imported by this command (plansheet.output.pandas_probe)")
        return None


_settled = False  # pyarrow's answer is final once given: probing again would only repeat the work


def skip_pandas_probe() -> None:
    """Have pyarrow settle that pandas is absent, unless pandas is imported already (see the module docstring)."""
    global _settled
    if _settled or "pandas" in sys.modules:
        return
    import pyarrow as pa

    refuse = _Refuse()
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([0])  # the probes a list conversion makes (Python and C++): each tries pandas once
        _settled = True
    finally:
        sys.meta_path.remove(refuse)
