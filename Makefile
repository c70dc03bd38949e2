# motcua-kiosk — `make run` starts the kiosk, `make test` runs every test, `make check` the day-to-day subset.
# Each sets everything up first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Debian packages the kiosk and its tests need (tesseract with Vietnamese, zbar, libusb, a virtual
# screen, Mesa for Kivy's OpenGL, espeak-ng for voice prompts and the hall display's calls, PostgreSQL for the backend tests,
# Chromium and its driver for the office pages' browser tests; pcscd and the vpcd virtual reader for the ID card's chip
# and its tests, swig + libpcsclite-dev + gcc to build pyscard).
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie libzbar0 libusb-1.0-0 xvfb xauth libmtdev1 \
	libegl1 libegl-mesa0 libgl1-mesa-dri libgl1 xclip espeak-ng sox postgresql fonts-noto-core fonts-dejavu-core python3-venv \
	chromium chromium-driver pcscd vsmartcard-vpcd libpcsclite-dev swig gcc
XVFB := xvfb-run -a -s "-screen 0 1920x1920x24"
PYTEST_ARGS ?=
# The day-to-day subset (under 3 minutes): every package's fast unit tests, the layer rules and one UI
# smoke test. Tests marked slow, the other UI tests and tests/integration run only in `make test`.
CHECK_ARGS := -m "(not slow and not ui) or smoke" --ignore=tests/integration -q

.PHONY: run test check bench screenshots setup system-deps clean

setup: system-deps $(STAMP)

# Install the missing system packages (as root), or print the exact command to run.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "installing system packages:$$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
		else \
			echo "missing system packages; run:  sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $(STAMP)

run: setup
	@if [ -n "$$DISPLAY" ]; then $(VENV)/bin/kiosk run; else echo "no DISPLAY: running under Xvfb"; $(XVFB) $(VENV)/bin/kiosk run; fi

test: setup
	$(XVFB) $(PY) -m pytest $(PYTEST_ARGS)

check: setup
	$(XVFB) $(PY) -m pytest $(CHECK_ARGS) $(PYTEST_ARGS)

bench: setup
	$(XVFB) $(PY) -m benchmarks

screenshots: setup
	$(XVFB) $(VENV)/bin/kiosk screenshots docs/screenshots --orientation both
	$(XVFB) $(VENV)/bin/kiosk screenshots docs/screenshots --orientation both --lang en
	$(PY) tests/browser/shots.py docs/screenshots

clean:
	rm -rf $(VENV) var .pytest_cache
