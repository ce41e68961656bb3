#!/usr/bin/env bash
# p2pquic-node as a user runs it: listen with --metrics, be pinged by
# another p2pquic-node, serve /metrics over HTTP (prometheus-cpp's exposer),
# shut down on SIGTERM with exit 0. The scrape must show the traffic and
# pass `promtool check metrics`.
set -uo pipefail
node="$TEST_SRCDIR/p2pquic/node/p2pquic-node"
work="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v promtool >/dev/null || fail "promtool (Debian package prometheus) is missing"

port=$((20000 + RANDOM % 20000))
"$node" listen /ip4/127.0.0.1/udp/0/quic-v1 --metrics "127.0.0.1:$port" >"$work/listen.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do grep -q '^METRICS' "$work/listen.log" && break; sleep 0.1; done
grep -q '^METRICS' "$work/listen.log" || { cat "$work/listen.log"; fail "listener did not start"; }
address=$(sed -n 's/^LISTEN //p' "$work/listen.log")

"$node" ping "$address" --count 3 --interval 0.05 --timeout 10 || fail "ping failed"
"$node" perf "$address" --upload 1000000 --download 1000000 --timeout 20 || fail "perf failed"
sleep 1.5  # The node exports once a second.

# shellcheck source=tests/node/metrics_scrape.sh
source "$TEST_SRCDIR/p2pquic/tests/node/metrics_scrape.sh"
scrape "$port" >"$work/metrics.txt" || fail "cannot scrape /metrics"
value() { metric_value "$work/metrics.txt" "$1"; }
echo "scraped $(wc -l <"$work/metrics.txt") lines"
[[ "$(value p2pquic_endpoint_handshakes_completed_total)" -ge 2 ]] || fail "handshakes not counted"
[[ "$(value 'p2pquic_registry_lookups_total{outcome="cid_hit"}')" -ge 10 ]] || fail "cid hits not counted"
[[ "$(value p2pquic_endpoint_streams_accepted_total)" -ge 2 ]] || fail "streams not counted"
bytes=$(value 'p2pquic_endpoint_udp_payload_bytes_total{direction="received"}')
[[ ${bytes%.*} -ge 1000000 ]] || fail "received bytes not counted ($bytes)"
lint=$(promtool check metrics <"$work/metrics.txt" 2>&1) || fail "promtool: $lint"
[[ -z "$lint" ]] || fail "promtool: $lint"

kill -TERM $pid
code=0
wait $pid || code=$?
trap - EXIT
[[ $code -eq 0 ]] || fail "SIGTERM exit code $code"
echo "PASS"
