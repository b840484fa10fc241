# Two commands do all the set-up: `make report` and `make test` each create .venv and
# install the pinned dependencies (requirements.lock) on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := icevidence

.PHONY: report test lab bench clean venv

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (icevidence)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/icevidence build

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf reports/*.html reports/tables reports/figures reports/.cache data/processed/*
