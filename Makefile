# Two commands for a newcomer: `make demo` and `make test` (see README.md).
# Every target installs what is missing and is safe to run again.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Two database roles (README, Security): the server runs as the app role (DATABASE_URL), which owns
# nothing; migrations and the sample data load run as the owner (DATABASE_OWNER_URL), not a superuser.
export DATABASE_URL ?= postgis://geoportal_app:geoportal_app@127.0.0.1:5432/geoportal
export DATABASE_OWNER_URL ?= postgis://geoportal:geoportal@127.0.0.1:5432/geoportal
export REDIS_URL ?= redis://127.0.0.1:6379/0
HOST ?= 127.0.0.1
PORT ?= 8000
PARCELS ?= 6000

.PHONY: demo test serve system services venv migrate data admin static bench load clean cluster cluster-stop cluster-status faults

demo: data admin static
	@echo ""
	@echo "Geoportal: http://$(HOST):$(PORT)/   admin: http://$(HOST):$(PORT)/admin/  (login printed above)"
	@mkdir -p var; if [ -f var/rqworker.pid ] && kill -0 $$(cat var/rqworker.pid) 2>/dev/null; then echo "job worker already running (pid $$(cat var/rqworker.pid))"; else $(AS_APP) $(PY) manage.py rqworker default --with-scheduler >var/rqworker.log 2>&1 & echo $$! >var/rqworker.pid; echo "job worker started (log: var/rqworker.log)"; fi
	$(AS_APP) $(PY) manage.py runserver $(HOST):$(PORT)

# The server and its worker never see the owner's password.
AS_APP := env -u DATABASE_OWNER_URL

# Tests queue their jobs on their own Redis database, so that a `make demo`
# worker still running on the default one never takes them.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# The floor plan first (import-linter, [tool.importlinter] in pyproject.toml: floors, independent slices, a data
# model without HTTP), then pytest, which creates, migrates and loads the test database as the owner and runs
# every test as the app role.
test: migrate
	$(VENV)/bin/lint-imports
	REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)

system:
	@geoportal/bin/setup-system.sh

services: system
	@geoportal/bin/setup-services.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt | system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	@touch $@

migrate: venv services
	$(PY) manage.py migrate --noinput -v 0

data: migrate
	$(PY) manage.py load_sample_data --parcels $(PARCELS)
	$(PY) manage.py load_eservices_sample

admin: migrate
	$(PY) manage.py ensure_demo_admin

static: venv
	$(PY) manage.py collectstatic --noinput -v 0

bench: migrate $(VENV)/.bench-installed
	$(PY) -m bench $(BENCH_ARGS)

# `make load`: 50 clients for 60 s on the app (BENCH_LOAD_SIZE, BENCH_LOAD_CLIENTS, BENCH_LOAD_SECONDS).
# `make load TARGET=cluster`: the same through the proxy of `make cluster` (started if needed), then again with one
# app replica killed half-way: bench/results/<date>-load-cluster.md.
load: migrate $(VENV)/.bench-installed
	$(PY) -m $(if $(filter cluster,$(TARGET)),bench.load_cluster,bench.load)

$(VENV)/.bench-installed: pyproject.toml constraints.txt | venv
	$(PY) -m pip install -q -c constraints.txt -e '.[test,bench]'
	@touch $@

# The production topology on this machine (README, Cluster): nginx, two gunicorn replicas, PostgreSQL primary + streaming
# replica, Redis (AOF), supervised job workers and cron, all under var/cluster. PARCELS sample parcels on first start.
cluster: venv
	$(PY) -m geoportal.topology start --parcels $(PARCELS)

cluster-stop: venv
	$(PY) -m geoportal.topology stop

cluster-status: venv
	$(PY) -m geoportal.topology status

# The faults of issue 14 against the cluster (started if needed), bounded, with counts: bench/results/<date>-faults.md.
faults: $(VENV)/.bench-installed
	$(PY) -m geoportal.topology.faults $(FAULTS)

clean:
	rm -rf $(VENV) var .pytest_cache
