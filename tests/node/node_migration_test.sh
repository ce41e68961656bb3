#!/usr/bin/env bash
# `p2pquic-node ping --migrate-after N` between two p2pquic nodes on
# loopback: the dialer moves to a new local port after the N-th ping and
# keeps pinging on the same connection. The dialer's output must show every
# ping, the move to a different port after ping N, the later pings, and the
# validated new path; the listener's /metrics must show that it validated
# the dialer's new address and completed exactly one handshake (no redial).
# Also: --migrate-after is refused unless 1 <= N < --count.
set -uo pipefail
node="$TEST_SRCDIR/p2pquic/node/p2pquic-node"
work="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x "$node" ]] || fail "p2pquic-node not built at $node"

readonly COUNT=6 MIGRATE_AFTER=3

echo "== --migrate-after must be >= 1 and < --count"
for bad in "--count 6 --migrate-after 6" "--count 6 --migrate-after 9" "--migrate-after 4" "--count 6 --migrate-after 0"; do
  # $bad is several words on purpose: unquoted.
  if "$node" ping /ip4/127.0.0.1/udp/9/quic-v1 $bad --timeout 1 >"$work/bad.out" 2>&1; then
    fail "'ping ... $bad' was accepted"
  fi
  grep -q -e 'must be less than --count' -e 'not in range' "$work/bad.out" ||
    { cat "$work/bad.out"; fail "'ping ... $bad' did not say why it was refused"; }
  grep -q '^PING' "$work/bad.out" && fail "'ping ... $bad' pinged"
done
echo "ok: refused with: $(head -n 1 "$work/bad.out")"

echo "== listener with --metrics, dialer pings $COUNT times and migrates after $MIGRATE_AFTER"
port=$((20000 + RANDOM % 20000))
"$node" listen /ip4/127.0.0.1/udp/0/quic-v1 --metrics "127.0.0.1:$port" >"$work/listen.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do grep -q '^METRICS' "$work/listen.log" && break; sleep 0.1; done
grep -q '^METRICS' "$work/listen.log" || { cat "$work/listen.log"; fail "listener did not start"; }
address=$(sed -n 's/^LISTEN //p' "$work/listen.log")

"$node" ping "$address" --count $COUNT --migrate-after $MIGRATE_AFTER --interval 0.05 --timeout 20 \
  >"$work/ping.out" 2>"$work/ping.err"
code=$?
cat "$work/ping.out" "$work/ping.err"
[[ $code -eq 0 ]] || fail "ping --migrate-after exited $code"

# Every ping, in order, with the move right after ping N and nothing else.
expected_order=$(seq 1 $MIGRATE_AFTER | sed 's/^/PING /'; echo MIGRATED
  seq $((MIGRATE_AFTER + 1)) $COUNT | sed 's/^/PING /'; echo PATH)
actual_order=$(awk '{ print ($1 == "PING") ? $1 " " $2 : $1 }' "$work/ping.out")
[[ "$actual_order" == "$expected_order" ]] ||
  fail "output order: got [$(tr '\n' ' ' <<<"$actual_order")], want [$(tr '\n' ' ' <<<"$expected_order")]"

# MIGRATED <ip>:<old port> -> <ip>:<new port>: same IP, another port.
read -r _ from arrow to < <(grep '^MIGRATED' "$work/ping.out")
[[ "$arrow" == "->" ]] || fail "unexpected MIGRATED line"
[[ "${from%:*}" == "${to%:*}" ]] || fail "migrated to another IP: $from -> $to"
[[ "${from##*:}" =~ ^[0-9]+$ && "${to##*:}" =~ ^[0-9]+$ ]] || fail "no ports in $from -> $to"
[[ "${from##*:}" != "${to##*:}" ]] || fail "migrated to the same port: $from -> $to"
# The connection the last pings used is on the new address, validated.
grep -q "^PATH $to -> 127.0.0.1:[0-9]* validated (same connection, 1 handshake)$" "$work/ping.out" ||
  fail "no validated path from $to"

sleep 1.5  # The node exports once a second.
# shellcheck source=tests/node/metrics_scrape.sh
source "$TEST_SRCDIR/p2pquic/tests/node/metrics_scrape.sh"
scrape "$port" >"$work/metrics.txt" || fail "cannot scrape /metrics"
value() { metric_value "$work/metrics.txt" "$1"; }
validated=$(value 'p2pquic_endpoint_path_validations_total{result="succeeded"}')
failed=$(value 'p2pquic_endpoint_path_validations_total{result="failed"}')
handshakes=$(value p2pquic_endpoint_handshakes_completed_total)
echo "listener: path validations succeeded=$validated failed=$failed, handshakes=$handshakes"
[[ -n "$validated" && "${validated%.*}" -ge 1 ]] ||
  fail "the listener did not validate the dialer's new address (succeeded=$validated)"
[[ "${failed%.*}" -eq 0 ]] || fail "the listener saw failed path validations ($failed)"
[[ "${handshakes%.*}" -eq 1 ]] || fail "$handshakes handshakes: the dialer redialed"

kill -TERM $pid
code=0
wait $pid || code=$?
trap - EXIT
[[ $code -eq 0 ]] || fail "SIGTERM exit code $code"
echo "PASS"
