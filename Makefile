# Two commands do all the set-up: `make report` and `make test` each create .venv and
# install the pinned dependencies (requirements.lock) on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := icevidence
# Jupyter refuses to run as root unless told (containers run as root); only then is it told.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Test processes (pytest-xdist): both cores of the reference machine; `make test TEST_JOBS=0` runs in one process.
TEST_JOBS ?= 2

.PHONY: help report test lint lab bench clean venv archive
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

venv: $(STAMP) ## create .venv and install the pinned dependencies

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (icevidence)" >/dev/null
	@touch $(STAMP)

report: $(STAMP) ## build every report and appendix listed in compendium.yml into reports/
	$(BIN)/icevidence build

lint: $(STAMP) ## check the code with ruff (pyproject.toml holds its rules)
	$(BIN)/ruff check src tests bench

archive: $(STAMP) ## write the deposit zip (dist/icevidence-<version>.zip) of the data, code and the reports last built
	$(BIN)/icevidence archive

test: $(STAMP) ## check the code with ruff, then run every test (unit, papers' figures, notebooks, browser) on $(TEST_JOBS) processes
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -n $(TEST_JOBS)

lab: $(STAMP) ## open JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab notebooks/ $(ALLOW_ROOT)

bench: $(STAMP) ## run the benchmarks in bench/
	$(BIN)/python bench/run_all.py

clean: ## remove generated reports and processed data
	rm -rf reports/*.html reports/tables reports/figures reports/.cache data/processed/*
