# Two commands do all set-up: `make run` and `make test` (README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TS := resources/i18n/console_zh_CN.ts
QM := $(TS:.ts=.qm)
DEMO_VIDEO := var/demo-video/.made
ARGS ?=
PYTEST_ARGS ?=

.PHONY: run test test-quick fuzz lint bench bench-quick setup setup-test translations screenshot clean

run: setup
	@scripts/run-console.sh $(ARGS)

test: setup-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# The quick loop: every test that takes no more than a few seconds (`make test` runs them all).
test-quick: setup-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

# The message decoder against 100,000 Hypothesis inputs (about 9 minutes; the suite runs 3,000).
fuzz: setup-test
	FUZZ_EXAMPLES=100000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/test_fuzz.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Every bench in full (about an hour on 2 cores); docs/benchmarks.md records their figures.
# `make bench-quick` runs each in its quick mode (seconds each), as tests/test_bench_quick.py does.
BENCH_ENV := QT_QPA_PLATFORM=offscreen
bench: setup-test
	$(PY) bench/startup.py
	$(PY) bench/backend.py all
	$(PY) bench/backend_ready.py
	$(PY) bench/township.py
	$(PY) bench/fanout_proxy.py
	$(PY) bench/security.py
	$(PY) bench/logins.py
	$(BENCH_ENV) $(PY) bench/console.py all
	$(BENCH_ENV) $(PY) bench/indicators.py all
	$(PY) bench/video_decode.py
	$(BENCH_ENV) $(PY) bench/video_wall.py all

bench-quick: setup-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/test_bench_quick.py $(PYTEST_ARGS)

setup:
	@scripts/system-packages.sh run
	@$(MAKE) -s --no-print-directory $(STAMP) $(QM) $(DEMO_VIDEO)

setup-test:
	@scripts/system-packages.sh test
	@$(MAKE) -s --no-print-directory $(STAMP) $(QM) $(DEMO_VIDEO)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

translations: $(QM)

# The demo wall's camera clips (made once, ~20 s; not in git).
$(DEMO_VIDEO): scripts/make-demo-clips.sh
	@echo "Making the demo cameras' clips (once)"
	@scripts/make-demo-clips.sh $(dir $(DEMO_VIDEO)) 6
	@touch $(DEMO_VIDEO)

$(QM): $(TS) $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $(TS) -qm $(QM)

# Refresh the .ts after changing user-visible strings; translate the new entries in Linguist.
update-translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find console -name '*.py' | sort) -ts $(TS) \
	  -source-language en -target-language zh_CN -no-obsolete

screenshot: setup
	QT_QPA_PLATFORM=offscreen $(PY) main.py --db sqlite:///$$(mktemp -d)/shot.sqlite3 \
	  --user supervisor --screenshot docs/screenshot-desk.png --screenshot-delay 12

clean:
	rm -rf $(VENV) $(QM) .mypy_cache .ruff_cache .pytest_cache
