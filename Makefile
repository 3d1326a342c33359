# Two commands matter: `make run` (set up everything, serve on 127.0.0.1:$PORT) and `make test`.
# Both are idempotent: a second run only does what is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test install install-dev assets db catalogue serve worker bench lint clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@# ctok (Claude count estimator) declares Python >= 3.12 but runs on 3.11.
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python ctok==1.3.0
	@# mistral-common (Mistral's chat framing) pins numpy < 2.4 on Python <= 3.12 but works with ours.
	$(BIN)/pip install --quiet --no-deps mistral-common==1.13.1
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

assets: install
	$(BIN)/python manage.py fetch_tokenizer_assets

db: install
	$(BIN)/python manage.py migrate --noinput

catalogue: db
	$(BIN)/python manage.py load_catalogue
	$(BIN)/python manage.py refresh_prices --source genai-prices --bundled
	$(BIN)/python manage.py refresh_prices --source litellm --latest-release
	$(BIN)/python manage.py assign_tokenizers

run: assets catalogue
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://127.0.0.1:$(PORT)  (admin: $(BIN)/python manage.py createsuperuser)"
	./bin/run-dev

test: install-dev assets
	./bin/ensure-chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

serve: assets catalogue
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn config.wsgi:application -c gunicorn.conf.py

worker: install
	mkdir -p var
	$(BIN)/celery -A config worker --beat --loglevel INFO --schedule var/celerybeat-schedule

bench: install-dev assets catalogue
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@# tokencost is only the comparison baseline: installed for the benchmark, never for the app.
	$(BIN)/pip install --quiet --no-deps tokencost==0.1.26
	$(BIN)/python bench/tokenizers_bench.py
	$(BIN)/python bench/adversarial_bench.py
	$(BIN)/python bench/gil_holds.py
	$(BIN)/python bench/page_first_answer.py
	$(BIN)/python bench/page_all_models.py --write
	SOAK_SECONDS=$${SOAK_SECONDS:-600} $(BIN)/python bench/http_load.py --write
	WORST_SOAK_SECONDS=$${WORST_SOAK_SECONDS:-600} $(BIN)/python bench/worst_case_http.py --write
	$(BIN)/python bench/usage_import_bench.py --write
	@# The same import posted to the API and priced by a real Celery worker (needs Redis; USAGE_BENCH_BROKER).
	$(BIN)/python bench/usage_import_bench.py --celery --write
	$(BIN)/python bench/usage_money_bench.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	@# The layer contracts in pyproject.toml: pure core without Django, no import back up, no cycles.
	$(BIN)/lint-imports --no-cache
	$(BIN)/python bin/check-function-length

clean:
	rm -rf $(VENV) var/staticfiles
