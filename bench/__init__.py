"""Speed, memory and accuracy of plansheet beside its baselines, measured in one run.

    make bench                     # or: .venv/bin/python -m bench.run
    .venv/bin/python -m bench.run --quick --results /tmp/RESULTS.md

Every figure is a ratio against a baseline measured in the same process tree, on the
same files, in the same run (pdfplumber's ``extract_tables()``, pypdfium2's plain text,
plain full-page Tesseract, one worker). The report goes to ``bench/RESULTS.md``.
"""
