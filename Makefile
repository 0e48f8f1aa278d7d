# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here is a helper for them.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall whenever pyproject.toml changes.
STAMP := $(VENV)/.installed

HOST ?= 127.0.0.1
PORT ?= 8000
SANDBOX_PORT ?= 8080

.PHONY: run test lint fmt bench install migrate content clean fuzz assets

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input

content: migrate
	$(PY) manage.py load_content

# Serves the site on http://$(HOST):$(PORT) and the TCP sandbox on $(HOST):$(SANDBOX_PORT).
# Ctrl+C stops both.
run: content
	@echo "Site:    http://$(HOST):$(PORT)/"
	@echo "Sandbox: $(HOST):$(SANDBOX_PORT)  (try: curl -v http://$(HOST):$(SANDBOX_PORT)/books)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py sandbox --host $(HOST) --port $(SANDBOX_PORT) & \
	SANDBOX_HOST=$(HOST) SANDBOX_PORT=$(SANDBOX_PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

HTTPBIN_VENV := .venv-httpbin

$(HTTPBIN_VENV)/.installed:
	$(PYTHON) -m venv $(HTTPBIN_VENV)
	$(HTTPBIN_VENV)/bin/python -m pip install --quiet 'httpbin>=0.10.4' 'gunicorn>=22'
	touch $@

# Prints figures; asserts nothing about speed (see bench/README.md).
bench: migrate $(HTTPBIN_VENV)/.installed
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(HTTPBIN_VENV) staticfiles .pytest_cache .ruff_cache .hypothesis

FUZZ_RUNS ?= 100000
FUZZ_SECONDS ?= 900

# Fuzzes process() with atheris for at most FUZZ_RUNS inputs and FUZZ_SECONDS seconds.
# A crash is written to fuzz/crashes/, the regression corpus `make test` replays:
# commit it with the fix. CI runs a bounded slice (e.g. make fuzz FUZZ_RUNS=20000).
fuzz: install
	mkdir -p fuzz/corpus
	$(PY) fuzz/fuzz_process.py fuzz/corpus fuzz/seeds -dict=fuzz/http.dict -max_len=9000 \
		-runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/crashes/ \
		-print_final_stats=1

# Rebuilds the request editor's bundle (static/js/request-editor.js, committed) from
# static/js/editor-src/ with the exact packages in package-lock.json. Only needed
# after changing the editor's source; running the site needs no Node.
assets:
	npm ci --no-audit --no-fund
	npm run build
