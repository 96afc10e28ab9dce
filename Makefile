# Everything a fresh Debian/Ubuntu machine with Python 3.11+ needs; `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-tools-stamp

.PHONY: run test soak lint check bench bench-quick dist screenshots clean

# Running needs only the app's own dependencies; testing adds the test tools (pytest, mypy,
# ruff, hypothesis: about 100 MB more), so `make run` never installs them.
$(STAMP): pyproject.toml packaging/system-deps.sh
	@bash packaging/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@bash packaging/system-deps.sh $(VENV)
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(TEST_STAMP)

## Start Liaison on the demo notebook (passphrase: demo).
run: $(STAMP)
	$(BIN)/liaison --demo

## The whole test suite, headless, plus lint and type checks.
test: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check .
	$(BIN)/mypy

## Long reliability runs (thousands of kills), not part of `make test`; figures in SECURITY.md.
soak: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m soak -s tests/reliability

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests bench migrations
	$(BIN)/mypy

bench-quick: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run --quick

bench: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

## A one-folder desktop app in dist/liaison (PyInstaller), then its self-check.
dist: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dist]"
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/liaison.spec
	QT_QPA_PLATFORM=offscreen dist/liaison/liaison --self-check

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
