# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_DIR := /tmp/li-test-postgres
PG_PORT := 54329

.PHONY: run test venv venv-dev system-packages migrate seed worker lint bench clean locks

# `make run` installs what runs (requirements.lock); `make test` adds the tests and tools
# (requirements-dev.lock). Both are pinned; `make locks` compiles them again from the .txt files.
$(VENV)/.installed-run: requirements.lock
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed-run
	$(VENV)/bin/pip install --quiet -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed-run

venv-dev: $(VENV)/.installed-dev

locks: venv
	$(VENV)/bin/pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --no-header --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.txt
	$(VENV)/bin/pip-compile --quiet --no-header --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements-dev.lock requirements-dev.txt

# Debian packages the tests need: chromium for browser tests, PostgreSQL for row-lock tests, Varnish
# with its xkey module for the front-cache tests (tests/cache/test_varnish.py).
system-packages:
	@if ! command -v chromium >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| [ ! -x /usr/sbin/varnishd ] || ! ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium postgresql varnish varnish-modules >/dev/null; \
	fi

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	@$(PY) manage.py seed_demo

# Web server on http://127.0.0.1:8000 and the django-q2 worker beside it (scripts/run.sh): Ctrl-C,
# or SIGTERM to make, stops both within seconds; a task the worker did not finish runs at the next start.
run: seed
	@exec scripts/run.sh

worker: venv
	$(PY) manage.py qcluster

# The suite on SQLite (two workers, each test file on one of them), then the tests marked `postgres` on a throwaway PostgreSQL server: the second
# pass runs even when the first failed (so a PostgreSQL failure is never hidden), and a server that
# does not start fails the run (instead of leaving those tests unrun).
test: venv-dev system-packages
	$(PY) manage.py makemigrations --check --dry-run --settings=cms.settings.test
	$(VENV)/bin/lint-imports
	@$(PY) -m pytest -m "not postgres" -n 2 --dist loadfile; sqlite=$$?; \
	url=$$(scripts/postgres-local.sh start $(PG_DIR) $(PG_PORT)) || exit 1; \
	echo "== tests marked postgres, on $$url"; \
	DATABASE_URL=$$url $(PY) -m pytest -m postgres -p no:cacheprovider; postgres=$$?; \
	scripts/postgres-local.sh stop $(PG_DIR); \
	[ $$sqlite = 0 ] && exit $$postgres || exit $$sqlite

# Benchmarks print figures; they are never part of the pass/fail run.
bench: venv-dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

lint: venv-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media .test-media collected-static
