# The two commands of the README:
#   make report   runs the whole analysis on the bundled sample and writes report/ (HTML, figures, tables)
#   make test     runs the whole test suite, offline (network cut off where the machine allows it)
# and: make notebooks   regenerates notebooks/*.ipynb from notebooks/_build.py, executed with outputs
# Both create the virtual environment .venv and install mediakit with its extras on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= report
TORCH  ?= 2.13.0

.PHONY: report test install lint gallery benchmark notebooks clean

report: $(STAMP)
	$(BIN)/mediakit report --example seeds --out $(OUT) --overwrite

test: $(STAMP)
	bash scripts/offline.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("mediakit needs Python >= 3.11, this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch's CPU build first, pinned: the semantic extra's sentence-transformers would otherwise pull a GPU build
	$(BIN)/python -m pip install --quiet torch==$(TORCH)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check mediakit tests benchmarks scripts

notebooks: $(STAMP)
	$(BIN)/python notebooks/_build.py

gallery: $(STAMP)
	$(BIN)/python scripts/make_gallery.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
