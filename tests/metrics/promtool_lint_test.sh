#!/usr/bin/env bash
# Lints the registry metrics with promtool (Debian package "prometheus"):
# naming, units, _total suffixes, help text. Any lint output fails the test;
# so does a missing promtool, so a bare machine never passes silently.
set -euo pipefail

promtool=${PROMTOOL:-$(command -v promtool || true)}
if [[ -z "$promtool" || ! -x "$promtool" ]]; then
  echo "FAIL: promtool not found (${promtool:-not on PATH=$PATH}); install the Debian" \
       "package 'prometheus' (listed in bazel/debian-packages.txt) or set PROMTOOL." >&2
  exit 1
fi

dump="${TEST_SRCDIR:?not run by bazel test}/p2pquic/tests/metrics/dump_registry_metrics"
metrics_file="${TEST_TMPDIR:-$(mktemp -d)}/registry_metrics.prom"
"$dump" >"$metrics_file" || { echo "FAIL: $dump exited with $?" >&2; exit 1; }
# An empty or wrong dump would lint clean: insist on the families first.
for family in p2pquic_registry_lookups_total p2pquic_registry_cids \
              p2pquic_registry_operation_duration_seconds; do
  if ! grep -q "^# TYPE $family " "$metrics_file"; then
    echo "FAIL: $family missing from the dump:" >&2
    cat "$metrics_file" >&2
    exit 1
  fi
done

status=0
lint=$("$promtool" check metrics <"$metrics_file" 2>&1) || status=$?
if [[ $status -ne 0 || -n "$lint" ]]; then
  echo "FAIL: promtool check metrics (exit $status):" >&2
  echo "$lint" >&2
  exit 1
fi
echo "promtool check metrics: clean ($(grep -c '^# TYPE' "$metrics_file") families)"
