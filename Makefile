# Two commands set everything up on a fresh machine:
#   make demo   installs baocao and runs the whole pipeline on corpora/demo (results in out/)
#   make test   installs baocao with its test tools and runs the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

$(BIN)/baocao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/baocao

install: $(BIN)/baocao

demo: install
	$(BIN)/baocao run corpora/demo -o out
	$(BIN)/baocao report out

test: install
	$(BIN)/ruff check pipeline tests benchmarks corpora
	$(BIN)/python -m pytest -q --nbmake --doctest-modules tests notebooks pipeline

.PHONY: install demo test
