#!/usr/bin/env bash
# Install headless Chromium (Debian package `chromium`) for the browser test of the report
# (tests/reporting/test_browser.py), only when no Chromium is on the PATH. Call it from .ci/run
# before the tests: locally the test skips without Chromium, in CI it must run.
set -euo pipefail
for exe in chromium chromium-browser google-chrome; do
    if command -v "$exe" >/dev/null 2>&1; then
        "$exe" --version 2>/dev/null || true
        exit 0
    fi
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Debian ships `chromium`; Ubuntu's `chromium-browser` is a snap stub, hence the fallback.
$SUDO apt-get install -y -q --no-install-recommends chromium \
    || $SUDO apt-get install -y -q --no-install-recommends chromium-browser
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
