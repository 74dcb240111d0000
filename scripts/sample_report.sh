#!/usr/bin/env bash
# `make sample-report`: rebuild the sample report in docs/examples/ from its source, over the demo's
# synthetic persons and the outside figures, with the fixed as-of time (asylon/reports/sample_report.py),
# and write the generated Markdown and PDF beside it. The same test, without the variable, checks them.
set -euo pipefail
cd "$(dirname "$0")/.."
ASYLON_SAMPLE_REPORT_WRITE=1 ASYLON_DATA_DIR= ASYLON_TEST_DATABASE_URL= \
  .venv/bin/pytest -q -p no:randomly -p no:cacheprovider asylon/reports/tests/reporting/test_sample_report.py
git status --short docs/examples/
