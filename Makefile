# pagesplit — the two commands a user types are `make run` and `make test`.
# Everything is installed into .venv on first use (re-installed when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
OUT    ?= out
INPUT  ?= examples
CORPUS ?=
WORK   ?= /tmp/pagesplit-eval

export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: install run test browser eval eval-ocr train bench clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip wheel setuptools
	# pkuseg 0.0.25 ships the default mixed-domain model (the only pkuseg model on PyPI);
	# its setup.py needs numpy and cython at build time, hence --no-build-isolation.
	$(PIP) install --quiet numpy cython
	$(PY) -c "import importlib.util,sys; sys.exit(importlib.util.find_spec('pkuseg') is None)" || \
		$(PIP) install --quiet --no-build-isolation pkuseg==0.0.25
	$(PIP) install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/pagesplit run $(INPUT) $(OUT)

test: $(STAMP) browser
	$(PY) -m pytest -q

# The review's browser test needs headless Chromium (+ CJK fonts): Debian packages, installed only
# when chromium is missing and we are root (CI); otherwise that test is skipped and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk; \
		else echo "chromium not found: the browser test will be skipped (sudo apt-get install chromium fonts-noto-cjk)"; fi; }

eval: $(STAMP)
	@test -n "$(CORPUS)" || { echo "make eval needs CORPUS=<path to the People's Daily corpus>, e.g. make eval CORPUS=../shared/corpus"; exit 2; }
	@test -d "$(CORPUS)" || { echo "make eval: corpus directory '$(CORPUS)' not found"; exit 2; }
	$(VENV)/bin/pagesplit eval-dev $(CORPUS) --work $(WORK)

# Real OCR (never part of `make test`): corpus articles rendered as 3-column pages by Chromium, read by
# Tesseract, run through the pipeline and scored per article (~20 s a page to render, once).
OCR_WORK ?= /tmp/pagesplit-ocr
OCR_PAGES ?= 12
eval-ocr: $(STAMP)
	@test -n "$(CORPUS)" || { echo "make eval-ocr needs CORPUS=<path to the People's Daily corpus>, e.g. make eval-ocr CORPUS=../shared/corpus"; exit 2; }
	@test -d "$(CORPUS)" || { echo "make eval-ocr: corpus directory '$(CORPUS)' not found"; exit 2; }
	@command -v tesseract >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk; \
		else echo "make eval-ocr needs: sudo apt-get install chromium tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk"; exit 2; fi; }
	$(VENV)/bin/pagesplit eval-ocr $(CORPUS) --work $(OCR_WORK) --pages $(OCR_PAGES)

# Throughput and memory (never part of `make test`): ~5 min on 2 cores. PAGES/BIG_PAGES to resize,
# REPEAT=3 for three rounds (ratios: medians of the rounds'), CORPUS=<path> for pages composed from the corpus
# (composed under BENCH_WORK, outside the repository).
PAGES ?= 1000
BIG_PAGES ?= 5000
REPEAT ?= 1
BENCH_WORK ?= /tmp/pagesplit-bench
bench: $(STAMP)
	$(VENV)/bin/pagesplit bench --pages $(PAGES) --big-pages $(BIG_PAGES) --repeat $(REPEAT) --work $(BENCH_WORK) \
		$(if $(CORPUS),--corpus $(CORPUS)) --json bench.json

# The models in models/ from the corpus (2020-01..06 only): the junction model first (~2 min), the
# paragraph-break model of line-wrapped pages (~4 min), then the
# join model and its rival model (fragment joins are among the role model's inputs), the role and link models (~15 min;
# composed pages go to TRAIN_WORK, outside the repository: they hold corpus text).
TRAIN_WORK ?= /tmp/pagesplit-train
train: $(STAMP)
	@test -n "$(CORPUS)" || { echo "make train needs CORPUS=<path to the People's Daily corpus>, e.g. make train CORPUS=../shared/corpus"; exit 2; }
	@test -d "$(CORPUS)" || { echo "make train: corpus directory '$(CORPUS)' not found"; exit 2; }
	$(VENV)/bin/pagesplit train-junction $(CORPUS) --out models
	$(VENV)/bin/pagesplit train-paragraphs $(CORPUS) --out models
	$(PY) -m pipelines.train $(CORPUS) --out models --work $(TRAIN_WORK)

clean:
	rm -rf $(OUT) build *.egg-info src/*.egg-info
