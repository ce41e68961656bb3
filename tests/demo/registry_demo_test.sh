#!/usr/bin/env bash
# The README's main job must run and route every scripted datagram as it
# expects (the demo checks each outcome itself and exits 1 otherwise).
set -euo pipefail
demo="$TEST_SRCDIR/p2pquic/demo/registry_demo"
output=$("$demo" --metrics)
echo "$output"
grep -q "every datagram was routed as expected" <<<"$output"
grep -q '^p2pquic_registry_lookups_total{outcome="fallback"} 1$' <<<"$output"
grep -q '^p2pquic_registry_cids_expired_total 1$' <<<"$output"
