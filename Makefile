# plansheet: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench fuzz install clean deps-system deps-fuzz

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dask,test,samples]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(VENV)/bin/plansheet extract samples --out output || { rc=$$?; \
	  if [ $$rc -eq 1 ]; then echo "note: some samples were only partly read (status partial); see output/csv/sources.csv"; \
	  else exit $$rc; fi; }
	$(VENV)/bin/plansheet report output --out output/report.html

# The suite runs on every core (pytest-xdist), a test file at a time per worker: a file's module
# fixtures are built once; session fixtures once per worker. (Not --dist loadgroup: pytest 9.2
# ignores the group xdist 3.8 writes into a test's id, so its tests would be spread one by one.)
test: $(STAMP) deps-system
	$(PY) -m pytest -q -n auto --dist loadfile

# Debian packages the tests draw with: headless Chromium (tests/test_report.py) and the IPAex
# Gothic font the sample generators and the CI fuzz subset measure text with (tests/test_fuzz_ci.py).
# Each test that needs one skips, with a warning here, when it cannot be installed.
deps-system:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="chromium"; \
	  [ -e /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || missing="$$missing fonts-ipaexfont-gothic"; \
	  [ -z "$$missing" ] || (apt-get update && apt-get install -y --no-install-recommends $$missing) || \
	  echo "warning: could not install$$missing; the tests that need them will be skipped"

bench: $(STAMP)
	$(PY) -m bench.run

# layout fuzzer: N drawn sheets, rendered with their truth into a scratch folder, read back and compared.
# RENDERERS: any of text reportlab xlsx cid chromium libreoffice writer scan (default: all of them).
# A renderer whose tool is missing is skipped with one line; deps-fuzz installs LibreOffice
# (Calc and Writer, about 1 minute and 300 MB with apt) when soffice is missing.
N    ?= 200
SEED ?= 1
RENDERERS ?= text reportlab xlsx cid chromium libreoffice writer scan html
fuzz: $(STAMP) deps-system deps-fuzz
	$(PY) -m samples.generate.fuzz_run --n $(N) --seed $(SEED) $(foreach r,$(RENDERERS),--renderer $(r))

deps-fuzz:
	@command -v soffice >/dev/null 2>&1 || \
	  (apt-get update && apt-get install -y --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui) || \
	  echo "warning: could not install LibreOffice; the fuzzer skips its libreoffice and writer renderers"

clean:
	rm -rf $(VENV) output/parquet output/csv
