# Two commands on a fresh Debian/Ubuntu machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The environment the bundle is built from: the app, PyInstaller and NumPy without BLAS
# (installer/bundle/build_env.py says why it is not .venv).
PACKAGE_VENV := build/venv-package
PACKAGE_STAMP := $(PACKAGE_VENV)/.installed

.PHONY: demo test lint bench-relay clean system-deps translations package deb

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# What the demo and the tests need from the system: the Qt runtime libraries,
# fonts (with colour emoji) and Xvfb for the window, D-Bus and gnome-keyring,
# and a PostgreSQL server for the relay's PostgreSQL backend (started if
# installed but down).
system-deps:
	@PYTHON=$(PYTHON) bash tools/system-deps.sh

$(PACKAGE_STAMP): pyproject.toml installer/bundle/build_env.py
	$(PYTHON) installer/bundle/build_env.py $(PACKAGE_VENV)
	touch $(PACKAGE_STAMP)

demo: $(STAMP) system-deps
	$(VENV)/bin/crm-whatsapp demo

test: $(STAMP) system-deps $(PACKAGE_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(VENV)/bin/pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench-relay: $(STAMP)
	$(PY) tests/benchmarks/relay_throughput.py

translations: $(STAMP)
	bash tools/translations.sh

# The desktop as a one-folder bundle, dist/crm-whatsapp/ (installer/bundle/crm-whatsapp.spec),
# and on Debian/Ubuntu dist/crm-whatsapp_VERSION_ARCH.deb from it (installer/linux/build_deb.py).
package: system-deps $(PACKAGE_STAMP)
	$(PACKAGE_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/bundle/crm-whatsapp.spec
	@du -sm dist/crm-whatsapp | awk '{print "dist/crm-whatsapp: " $$1 " MB"}'

deb: package
	$(PY) installer/linux/build_deb.py --bundle dist/crm-whatsapp --out dist

clean:
	rm -rf $(VENV) build dist *.egg-info
