# The two commands a newcomer needs: `make run` and `make test` (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Every setting, with embedded defaults; a local .env (git-ignored) overrides them.
include .env.example
-include .env
export

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RASA := $(BIN)/rasa
UV_VERSION := 0.5.11
INSTALLED := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
DOMAIN_DIR := build/domain
MODEL := models/cpp.tar.gz
# Training and the evaluations encode thousands of messages at once: every core helps
# (serving uses one).
TRAIN_ENCODER_THREADS ?= $(shell nproc 2>/dev/null || echo 1)
SPACY_META := $(SPACY_MODEL_DIR)/meta.json
# Code that decides what our own trained components learn (their TRAINING_CODE lists).
TRAINING_CODE := $(addprefix bot/safety/,__init__.py component.py crisis_model.py check_model.py detector.py \
	context.py context_words.py lexicon.py word_classes.py normalize.py) $(addprefix bot/nlp/,ngram_classifier.py intent_topic.py \
	response_selection.py segments.py sentence_featurizer.py encoder.py spelling.py ages.py)
# The list of data files, rewritten only when a file comes or goes: a removed file is a
# change too, which the files' own dates cannot show.
DATA_LIST := build/data-files.txt
DATA_FILES := $(sort $(shell find data -name '*.yml' 2>/dev/null))
$(shell mkdir -p build && printf '%s\n' $(DATA_FILES) > build/.data-files.new && \
	(cmp -s build/.data-files.new $(DATA_LIST) || mv build/.data-files.new $(DATA_LIST)))
TRAIN_INPUTS := config.yml domain.yml $(CLINIC_PROFILE) $(DATA_FILES) $(TRAINING_CODE) $(DATA_LIST)

# Rasa 3.6 needs Python 3.10: use the first python3.10 that really runs.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 \
	/usr/local/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10); print(sys.executable)' \
	2>/dev/null && break; done)

.PHONY: help setup run shell train test lint format eval eval-safety safety-gate eval-conversations eval-conversations-dev eval-facts safety-report validate rasa-test pytest lock clean migrate seed browser run-prod test-prod services

# The safety sets, each reported into results/safety/<name>/: the gate set first, the
# other dev sets, then the blind ones (figures only, tests/blind/README.md; not in make
# test, which never looks at a blind set). The older, studied bench sets are in
# `make safety-report` only.
SAFETY_DEV_FILES = tests/safety/safety_set.yml $(filter-out tests/safety/safety_set.yml,\
	$(wildcard tests/safety/*.yml))
SAFETY_BLIND_FILES = $(wildcard tests/blind/safety_*.yml)
safety_sets = $(foreach f,$(1),--set $(f) --out results/safety/$(basename $(notdir $(f))))
SAFETY_REPORT = ENCODER_THREADS=$(TRAIN_ENCODER_THREADS) $(PY) -m bot.evaluation.safety_report --model $(MODEL)
# make test plays the dev conversation sets inside its pytest run (one server start).
PLAY_CONVERSATIONS ?=

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: Rasa 3.6 needs it (e.g. 'pyenv install 3.10')." >&2; exit 1; }
	@echo "==> Installing pinned dependencies into $(VENV) (Python: $(PYTHON310))"
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync --quiet --python $(PY) requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(INSTALLED) $(SPACY_META) $(DOMAIN_DIR)/clinic_facts.yml ## Create .venv, install the lock file, build the spaCy pipeline

$(SPACY_META): bot/nlp/pipeline.py | $(INSTALLED)
	@echo "==> Building the spaCy pipeline in $(SPACY_MODEL_DIR)"
	@$(PY) -m bot spacy-model

$(DOMAIN_DIR)/clinic_facts.yml: $(CLINIC_PROFILE) domain.yml bot/clinic.py bot/domain_facts.py | $(INSTALLED)
	@$(PY) -m bot domain

$(MODEL): $(TRAIN_INPUTS) $(SPACY_META) $(DOMAIN_DIR)/clinic_facts.yml | $(INSTALLED)
	@echo "==> Training (only what changed since the last model)"
	@LOG_LEVEL=$(if $(CI),WARNING,INFO) ENCODER_THREADS=$(TRAIN_ENCODER_THREADS) \
		$(RASA) train --domain $(DOMAIN_DIR) --data data --config config.yml \
		--out models --fixed-model-name cpp
	@touch $@

train: setup $(MODEL) ## Train the model if data, config, domain or clinic profile changed

migrate: setup ## Create or upgrade the project's database (DATABASE_URL)
	@$(PY) -m bot migrate

seed: migrate ## Add demo clinicians and open times (once; skipped when clinicians exist)
	@$(PY) -m bot seed

run: train migrate $(if $(filter 1 true yes,$(SEED_DEMO)),seed) ## Start the bot (Rasa :5005, actions :5055) on the embedded default
	@mkdir -p var
	@$(PY) -m bot api-token >/dev/null  # makes var/rasa-jwt.secret once (RASA_JWT_SECRET empty)
	@echo "==> Starting. When Rasa says it is up (about a minute), talk to it:"
	@echo "    curl -s localhost:$(RASA_PORT)/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"what is cpp\"}'"
	@echo "    or run 'make shell' in another terminal. Ctrl-C stops everything."
	@$(BIN)/honcho start -f Procfile

shell: train ## Talk to the bot in this terminal (starts its own action server)
	@mkdir -p var
	@$(RASA) run actions --actions actions --port $(ACTION_PORT) >var/actions-shell.log 2>&1 & \
		trap "kill $$! 2>/dev/null" EXIT; \
		$(RASA) shell --model $(MODEL) --endpoints endpoints.yml

validate: setup ## Check training data and domain for conflicts
	@$(RASA) data validate --domain $(DOMAIN_DIR) --data data --config config.yml

lint: setup ## ruff lint and format check
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

format: setup ## Apply ruff formatting and safe fixes
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .

pytest: train browser ## Unit and integration tests (browser tests in Debian's chromium); make test adds the dev conversation sets
	@mkdir -p var
	@ENCODER_THREADS=$(TRAIN_ENCODER_THREADS) CPP_EVAL_CONVERSATIONS=$(PLAY_CONVERSATIONS) $(BIN)/pytest

rasa-test: train ## Test stories (conversation paths), failing on any wrong prediction
	@$(RASA) test core --model $(MODEL) --stories tests/stories --out results/core --e2e \
		--fail-on-prediction-errors

eval: train ## NLU quality: the blind sets first (the headline figures), then the dev set; fails below target
	@TF_CPP_MIN_LOG_LEVEL=2 ENCODER_THREADS=$(TRAIN_ENCODER_THREADS) $(PY) -W ignore -m bot.evaluation.nlu_eval --model $(MODEL) \
		$(foreach f,$(wildcard tests/blind/nlu_*.yml),--blind $(f)) \
		$(foreach f,$(wildcard tests/nlu/*.yml),--dev $(f)) --out results/nlu

eval-safety: train ## The safety gate on tests/safety (every danger reached, 95% right category, at most 5% false alarms), with the dev and blind sets' figures
	@$(SAFETY_REPORT) --gate tests/safety/safety_set.yml $(call safety_sets,$(SAFETY_DEV_FILES) $(SAFETY_BLIND_FILES))

# make test runs the gate set alone (CI stays inside 30 minutes); the other dev sets'
# figures come from make eval-safety.
safety-gate: train ## The safety gate on tests/safety/safety_set.yml alone (part of make test)
	@$(SAFETY_REPORT) --gate tests/safety/safety_set.yml $(call safety_sets,tests/safety/safety_set.yml)

eval-conversations: train ## Whole conversations (tests/conversations, its retired/ sets, tests/blind/conversations_*) through the real servers; fails below 95% (floors for dev sets)
	@mkdir -p var
	@CPP_EVAL_CONVERSATIONS=all $(BIN)/pytest -q -s -rN tests/test_eval_conversations.py

eval-conversations-dev: train ## The dev conversation sets not yet settled (make test plays them in its pytest run); fail below their floors
	@mkdir -p var
	@CPP_EVAL_CONVERSATIONS=dev $(BIN)/pytest -q -s -rN tests/test_eval_conversations.py

eval-facts: setup ## The facts told while booking (age, first name, relationship), read message by message on tests/facts; fails below the floors (make test runs it too)
	@$(BIN)/pytest -q -s -rN tests/test_eval_facts.py

safety-report: train ## The same safety figures and the older bench sets', printed, never failing
	@$(SAFETY_REPORT) --report-only $(call safety_sets,$(SAFETY_DEV_FILES) $(SAFETY_BLIND_FILES) \
		$(wildcard bench/safety_*_set.yml))

test: PLAY_CONVERSATIONS = dev
test: setup lint train pytest rasa-test eval safety-gate ## Every check: lint, train (validates the data), pytest with the dev conversation sets, test stories, NLU eval, the safety gate, test-prod (when PostgreSQL and Redis answer)
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null \
		&& [ "$$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; then \
		$(MAKE) --no-print-directory test-prod; \
	else \
		echo "==> PostgreSQL or Redis does not answer on 127.0.0.1: skipping make test-prod"; \
	fi

# The production stack: deploy/prod.env.example holds this machine's values; a local,
# git-ignored deploy/prod.env (copied from it, may hold secrets) wins (see README).
PROD_ENV ?= $(if $(wildcard deploy/prod.env),deploy/prod.env,deploy/prod.env.example)
WITH_PROD_ENV := set -a && . ./$(PROD_ENV) && set +a &&

services: ## Install/start PostgreSQL, Redis and nginx where missing; create the prod database
	@$(WITH_PROD_ENV) deploy/ensure-services.sh

run-prod: train services ## The production stack: 2 Rasa instances on PostgreSQL + Redis behind nginx (:8080)
	@$(WITH_PROD_ENV) $(PY) -m bot migrate
	@$(PY) -m bot run-prod --env-file $(PROD_ENV)

test-prod: train services ## Production-stack tests (2 instances behind nginx; failure tests): needs PostgreSQL and Redis
	@mkdir -p var
	@$(BIN)/pytest tests/test_prod_stack.py tests/prod -m prod

browser: ## Debian's chromium for the browser tests (tests/test_web_browser.py)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "==> Installing Debian's chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
			|| echo "chromium could not be installed: the browser test will be skipped" >&2; \
	else \
		echo "chromium is missing and cannot be installed here (needs root and apt-get):" \
			"run 'sudo apt-get install chromium'; the browser test will be skipped" >&2; \
	fi

lock: ## Re-pin requirements.lock from requirements.in
	@$(BIN)/uv pip compile requirements.in --python-version 3.10 --generate-hashes -o requirements.lock

clean: ## Remove build outputs and trained models (keeps .venv and var/)
	rm -rf build models results

.PHONY: bench
bench: train ## Speed vs Rasa's starter bot, plus 1 vs 2 instances when PostgreSQL and Redis answer (results/bench/)
	@$(PY) -m bench --prod auto $(BENCH_ARGS)
