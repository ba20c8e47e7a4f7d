# Quick start: `make run` starts the assistant, `make test` runs every test.
# Both set up what is missing first: the Python 3.10 virtualenv, the knowledge base, the model.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/kcn.tar.gz
WIDGET := bot/widget/dist/kcn-widget.js
CHARTS := bot/web/static/dist/insights.js
# Headless browser for the end-to-end page tests (Debian's package; nothing is downloaded at run time).
CHROMIUM ?= /usr/bin/chromium
# rasa 3.6 needs Python 3.8-3.10: the first python3.10 that really runs (a pyenv shim may not).
PYTHON310 ?= $(shell for p in $$(command -v python3.10) $(HOME)/.pyenv/versions/3.10.*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
  "$$p" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && { echo "$$p"; break; }; done)
# The NLU components' code, and the knowledge modules they call (code shapes, the Hangul test).
NLU_CODE := $(wildcard nlu/*.py) knowledge/reference_codes.py knowledge/wording/__init__.py
# The examples the secretariat marked in the unanswered-questions inbox (/admin/inbox), from the knowledge base.
REVIEWED := nlu/reviewed/examples.yml
MODEL_INPUTS := config.yml domain.yml $(shell find data nlu/data -name '*.yml') $(REVIEWED) $(NLU_CODE) knowledge/seed/kcity_network.yaml
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL ?= 2
# No telemetry or error reports leave the machine.
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: FORCE run test test-scale bench bench-insights eval services install db model widget charts browser constraints clean

run: db $(MODEL) $(WIDGET) $(CHARTS)
	$(PY) -m bot.run

test: db $(MODEL) $(WIDGET) $(CHARTS) browser services
	KCN_CHROMIUM=$(CHROMIUM) $(PY) -m pytest

# The production profile with two Rasa servers, one action server, PostgreSQL and Redis (also part of `make test`).
test-scale: db $(MODEL) services
	$(PY) -m pytest tests/scale

# Our assistant against the stock `rasa init` bot under the same REST load; trains both first
# (BENCH_TRAIN=0 reuses $(MODEL)). About 15 minutes on 2 cores (13 without training), long conversations included; README: "Benchmark".
bench: db $(MODEL)
	$(PY) -m bench

# The insights page's queries on a year of generated traffic (200,000 conversations); README: "Insights".
bench-insights: db
	$(PY) -m bench.insights

# Answer quality on held-out conversations over REST, against the servers `make run` starts (on free
# ports, so a running `make run` is left alone). About a minute; README: "Answer quality".
eval: db $(MODEL)
	$(PY) -m bench.answers

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is needed (rasa 3.6 runs on Python 3.8-3.10) and was not found."; \
	  echo "Install it (e.g. 'sudo apt install python3.10 python3.10-venv', 'brew install python@3.10'"; \
	  echo "or 'pyenv install 3.10.13'), or run: make PYTHON310=/path/to/python3.10"; \
	  exit 1; fi
	@test -x $(PY) || { echo "Creating $(VENV) with $(PYTHON310)"; $(PYTHON310) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip<25"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

db: install
	$(PY) -m knowledge init

model: $(MODEL)

# Trained only when missing or older than its inputs. Rasa leaves an unchanged model's file
# alone, so touch it to keep make from asking again. Training reads the entity aliases from the
# knowledge base, so it needs the database; `db` is not a prerequisite here because, being
# phony, it would make the model always look stale.
$(MODEL): $(VENV)/.installed $(MODEL_INPUTS)
	$(MAKE) db
	@# Rasa's training cache keys on configuration and data, not on our components' code: a changed
	@# tokenizer would be restored from the cache with its old output. Clear it when that code changed.
	@if [ -f $@ ] && [ -n "$$(find $(NLU_CODE) -newer $@)" ]; then echo "NLU code changed: clearing Rasa's training cache"; rm -rf .rasa/cache; fi
	$(RASA) train --data data nlu/data nlu/reviewed --config config.yml --domain domain.yml --out models --fixed-model-name kcn
	touch $@

# Written at every make (rewritten only when the marked examples changed, so the model is retrained
# only then); needs the database, like the model.
$(REVIEWED): $(VENV)/.installed FORCE
	@$(PY) -m knowledge init >/dev/null
	$(PY) -m knowledge inbox export $@

widget: $(WIDGET)

charts: $(CHARTS)

# The chat widget, bundled from the npm packages pinned in its package-lock.json, with its words
# taken from the bilingual layer (knowledge/wording/messages.yml).
$(WIDGET): $(VENV)/.installed bot/widget/package.json bot/widget/package-lock.json $(wildcard bot/widget/src/*.js) knowledge/wording/messages.yml
	@command -v npm >/dev/null || { echo "Node.js and npm are needed to build the chat widget (e.g. 'sudo apt install nodejs npm')."; exit 1; }
	$(PY) -m knowledge.wording widget > bot/widget/src/ui-texts.json
	cd bot/widget && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

# The insights page's charts (Chart.js), bundled the same way from bot/web/charts/package-lock.json.
$(CHARTS): bot/web/charts/package.json bot/web/charts/package-lock.json $(wildcard bot/web/charts/src/*.js)
	@command -v npm >/dev/null || { echo "Node.js and npm are needed to build the staff pages' charts (e.g. 'sudo apt install nodejs npm')."; exit 1; }
	cd bot/web/charts && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

# Debian's chromium, and a Korean font so screenshots show Hangul.
browser:
	@test -x $(CHROMIUM) -a -d /usr/share/fonts/truetype/nanum || { echo "Installing Debian's chromium and fonts-nanum for the browser tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y --no-install-recommends chromium fonts-nanum >/dev/null; }

# Debian's PostgreSQL and Redis for the scale tests, which start private instances of both on loopback.
services:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null || { \
	  echo "Installing Debian's postgresql and redis-server for the scale tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y --no-install-recommends postgresql redis-server >/dev/null || \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y --no-install-recommends postgresql redis-server >/dev/null; }; }

constraints: install
	$(PY) -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)==' | \
	  sed '1i # Every package of the virtualenv, pinned (pip freeze of a fresh install of requirements.txt).\n# Regenerate with: make constraints' > constraints.txt

clean:
	rm -rf models results .rasa var
