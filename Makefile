# Safeguarding Learning Hub: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
GOVUK := node_modules/govuk-frontend/dist/govuk
STATIC_BUILD := build/static
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run install install-dev assets migrate demo test lint checks pytest e2e bench clean
.PHONY: test-calendar

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --omit=optional
	@touch $@

# GOV.UK Frontend comes from npm (pinned in package-lock.json) and is copied into static files.
# Its Sass is compiled with our settings (Arial, not the GOV.UK-only font; our assets path).
$(STATIC_BUILD)/.stamp: node_modules/.package-lock.json learninghub/core/styles/hub.scss
	rm -rf $(STATIC_BUILD)
	mkdir -p $(STATIC_BUILD)/govuk
	cp -R $(GOVUK)/assets $(STATIC_BUILD)/govuk/assets
	cp $(GOVUK)/govuk-frontend.min.js $(STATIC_BUILD)/govuk/
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
	  --quiet-deps learninghub/core/styles/hub.scss $(STATIC_BUILD)/govuk/govuk-frontend.min.css
	@touch $@

assets: $(STATIC_BUILD)/.stamp

migrate: install assets
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# DEBUG is off, as in production: the GOV.UK error pages show, whitenoise serves static files.
# PORT=8001 make run serves on another port (links in emails follow it).
run: demo
	$(PY) manage.py schedule_reminders
	@echo "Serving http://127.0.0.1:$(PORT) (background worker started too; Ctrl+C stops both)"
	@export PORT=$(PORT); trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py db_worker & \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

checks: install-dev assets
	DJANGO_SETTINGS_MODULE=learninghub.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=learninghub.settings.production \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  FIELD_ENCRYPTION_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))')" \
	  AUDIT_LOG_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=hub.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

pytest: install-dev assets
	$(PY) -m pytest -q -n 2

test: lint checks pytest

# Statutory clocks count working days, so the suite runs again as if today were a Saturday
# (Boxing Day, with the bank holiday moved to Monday), a Sunday (the clocks go forward),
# Christmas Day and the last day of a month (and of the financial year). HUB_TEST_TODAY is
# read by conftest.py. Every day runs even when one fails, so one run shows them all.
CALENDAR_DAYS := 2026-12-26 2027-03-28 2026-12-25 2027-03-31

test-calendar: install-dev assets
	@status=0; for day in $(CALENDAR_DAYS); do \
	  echo "== pytest as if today were $$day =="; \
	  HUB_TEST_TODAY=$$day $(PY) -m pytest -q -n 2 -m "not e2e" || status=1; \
	done; exit $$status

e2e: install-dev assets
	$(PY) -m pytest -q -m e2e

bench: install-dev assets
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules build var
