"""Let a process that only writes tables import pyarrow without numpy.

``import pyarrow`` imports numpy when it is installed, to set up numpy's C API for its
conversions: about 0.07 of the 0.11 CPU-s the import costs. Writing rows from Python lists,
merging part files and writing CSVs never use it. A pool's parent (``plansheet extract`` with
workers) imports pyarrow while its workers read, on a core they could use: after
:func:`refuse_numpy` it imports pyarrow alone.

The refusal lasts as long as the process: pyarrow set up without numpy crashes (it does not
raise) when it later meets a numpy array or converts to pandas, so numpy must stay out once
pyarrow is in. Only a process that reads no file of its own (the OCR reader needs numpy) and
never hands pyarrow a pandas or numpy object may call it: the CLI's ``extract`` once its pool's
workers have started. A worker that replaces one that died then starts from a fork server
(:func:`numpy_refused`), not forked from this process.
"""
from __future__ import annotations

import importlib.abc
import sys


class _Refuse(importlib.abc.MetaPathFinder):
    """Makes ``import numpy`` fail (pandas, which imports it, fails too)."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == "numpy" or fullname.startswith("numpy."):
            raise ModuleNotFoundError("numpy is not imported by a process that only writes tables "
                                      "(plansheet.output.without_numpy)", name=fullname)
        return None


_refused = False


def refuse_numpy() -> bool:
    """Refuse numpy for the rest of this process, if neither numpy nor pyarrow is imported yet and
    the process is the CLI's own (its standard streams are its own: a program or a test that runs
    the command in its process is left alone). Whether numpy is now refused."""
    global _refused
    own = sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__
    if not _refused and own and "numpy" not in sys.modules and "pyarrow" not in sys.modules:
        sys.meta_path.insert(0, _Refuse())
        _refused = True
    return _refused


def numpy_refused() -> bool:
    """Whether this process refuses numpy (:func:`refuse_numpy`)."""
    return _refused
