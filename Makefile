# Asylon: `make demo` to try it, `make test` to check it (README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export ASYLON_DATA_DIR ?= $(CURDIR)/var
export PIP_CACHE_DIR ?= $(HOME)/.cache/asylon-pip
export MYPY_CACHE_DIR ?= $(HOME)/.cache/asylon-mypy

# Debian packages: pango and fonts (Cyrillic, Lithuanian) for PDF, gettext for catalogues,
# chromium for browser tests, poppler-utils for PDF text checks, nginx for the deployment test.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core gettext chromium poppler-utils nginx

.PHONY: deps venv run demo test messages screenshots sample-report api-schema clean-data

deps:
	@missing=""; for package in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "Missing Debian packages. Run:"; echo "  sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

run: deps venv
	ASYLON_DEMO=1 ASYLON_INSECURE_LOCALHOST=1 $(BIN)/asylon quickstart

demo: deps venv
	ASYLON_DEMO=1 ASYLON_INSECURE_LOCALHOST=1 $(BIN)/asylon demo

test: deps venv
	@scripts/test.sh

# Extract translatable strings into asylon/locale and compile every catalogue (docs/i18n.md).
messages: deps venv
	@scripts/messages.sh

# Regenerate docs/screenshots/ (shown in docs/user-guide.md) from seeded synthetic data, in Chromium.
screenshots: deps venv
	ASYLON_SCREENSHOTS=1 ASYLON_DATA_DIR= ASYLON_TEST_DATABASE_URL= $(BIN)/pytest -q -p no:randomly -p no:cacheprovider e2e/test_screenshots.py e2e/test_reports_journey.py

# Rebuild docs/examples/belarusian-objectors-lithuania.generated.md and .pdf from the source beside them.
sample-report: deps venv
	@scripts/sample_report.sh

# Regenerate docs/api/openapi.yaml, the committed OpenAPI schema of /api/v1/ (a test compares it with the served one).
api-schema: venv
	ASYLON_DATA_DIR= $(BIN)/python manage.py spectacular --settings=asylon.config.settings.test --file docs/api/openapi.yaml

clean-data:
	rm -rf "$(ASYLON_DATA_DIR)"
