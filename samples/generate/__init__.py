"""Sample generators for plansheet.

Run from the repository root with ``python -m samples.generate`` (or
``python samples/generate/__main__.py``). See ``samples/README.md``.
The tests never run these generators: their outputs and truth files are committed.
"""
