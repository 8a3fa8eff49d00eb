# WardSafe: two commands do everything on a fresh Debian machine.
#   make run    set up, load content and demo data, serve on http://127.0.0.1:8000/
#   make test   set up, lint, check migrations, run the whole suite on SQLite and PostgreSQL

VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test setup setup-test prepare lint test-sqlite test-postgres

setup:
	@bash scripts/setup.sh app

setup-test:
	@bash scripts/setup.sh test

# Database, translations, content and demo data; safe to repeat.
prepare:
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py compilemessages --ignore=$(VENV) -v 0
	$(PY) manage.py load_content
	$(PY) manage.py load_demo

run: setup prepare
	@echo ""
	@echo "  WardSafe is running at  http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: demo-sakura-401):"
	@echo "    nurse   — ward nurse on 東4病棟"
	@echo "    leader  — shift leader on 東4病棟"
	@echo "    admin   — checklist admin: lands on the checklist editor, http://$(HOST):$(PORT)/editor/"
	@echo ""
	@echo "  (with the background worker for print runs; Ctrl-C stops both)"
	PY=$(PY) bash scripts/serve-dev.sh $(HOST):$(PORT)

# Production: gunicorn + the print worker, with the production environment set (README "Deploying").
serve: setup
	bash scripts/serve-prod.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates checklists --lint
	$(PY) manage.py makemigrations --check --dry-run -v 0

test-sqlite:
	$(VENV)/bin/pytest

test-postgres:
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -m "not browser"

test: setup-test
	$(PY) manage.py compilemessages --ignore=$(VENV) -v 0
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
