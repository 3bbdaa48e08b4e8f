# plansheet: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench fuzz install clean deps-chromium

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

test: $(STAMP) deps-chromium
	$(PY) -m pytest -q

# headless Chromium for tests/test_report.py (Debian's package); the test skips if this fails
deps-chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  (apt-get update && apt-get install -y --no-install-recommends chromium) || \
	  echo "warning: could not install chromium; the report's browser test will be skipped"

bench: $(STAMP)
	$(PY) -m bench.run

# layout fuzzer: N drawn sheets, rendered with their truth into a scratch folder, read back and compared
N    ?= 200
SEED ?= 1
fuzz: $(STAMP)
	$(PY) -m samples.generate.fuzz_run --n $(N) --seed $(SEED)

clean:
	rm -rf $(VENV) output/parquet output/csv
