# The README's two commands: `make demo` and `make test`. Both set up .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB := src/journeymap/web
ELK := $(WEB)/node_modules/elkjs/lib/elk.bundled.js
PORT ?= 8000

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[page,test,clickhouse]'
	touch $(STAMP)

# The page's map layout library, from npm with the npm the `page` extra installs
$(ELK): $(STAMP) $(WEB)/package.json $(WEB)/package-lock.json
	$(BIN)/npm ci --prefix $(WEB) --no-audit --no-fund
	touch $(ELK)

demo: $(STAMP) $(ELK)
	$(BIN)/journeymap demo --db journeymap.duckdb --port $(PORT)

lint: $(STAMP) $(ELK)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/journeymap

# one test worker per core; tests sharing a file's fixtures (and every browser test) stay on one
test: lint
	$(BIN)/pytest -n auto --dist loadgroup

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(WEB)/node_modules .pytest_cache .mypy_cache .ruff_cache
