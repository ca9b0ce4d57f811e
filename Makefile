# fccnet: `make run` serves the app, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=wsgi $(BIN)/flask
DEV_ENV := FCCNET_ENV=development

.PHONY: run test lint format translations compile-translations bench clean

$(VENV)/.runtime-installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

compile-translations: $(VENV)/.runtime-installed
	$(BIN)/pybabel compile --statistics -d fccnet/translations

run: $(VENV)/.runtime-installed compile-translations
	$(DEV_ENV) $(FLASK) db upgrade
	$(DEV_ENV) $(FLASK) seed-defaults
	$(DEV_ENV) $(FLASK) seed-demo --first-run
	@echo "Serving fccnet at http://127.0.0.1:5000 (Ctrl+C stops it)"
	$(DEV_ENV) $(FLASK) run --host 127.0.0.1 --port 5000

lint: $(VENV)/.dev-installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --configfile pyproject.toml --severity-level medium --recursive fccnet config.py wsgi.py

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(VENV)/.dev-installed compile-translations lint
	$(BIN)/pytest

translations: $(VENV)/.dev-installed
	$(BIN)/pybabel extract --ignore-dirs ".*" -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i messages.pot -d fccnet/translations
	rm -f messages.pot
	$(BIN)/pybabel compile --statistics -d fccnet/translations

bench: $(VENV)/.dev-installed compile-translations
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
