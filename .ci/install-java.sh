#!/usr/bin/env bash
# Install a headless Java runtime for the Spark tests (tests/test_spark_counts.py), only when
# `java` is missing. PySpark 4 needs Java 17 or newer. Call it from .ci/run before the tests.
set -euo pipefail
if command -v java >/dev/null 2>&1; then
    java -version 2>&1 | head -n 1
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Debian 12 / Ubuntu 22.04+ ship openjdk-17; fall back to the distribution's default JRE.
$SUDO apt-get install -y -q --no-install-recommends openjdk-17-jre-headless \
    || $SUDO apt-get install -y -q --no-install-recommends default-jre-headless
java -version
