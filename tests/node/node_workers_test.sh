#!/usr/bin/env bash
# `p2pquic-node listen --workers N --steering S` on loopback (N and S are
# the arguments; S is "user" or "kernel"):
# - it prints LISTEN once, WORKERS N and STEERING with the mode S gives
#   (user-space-forwarding, or kernel: the reuseport program attached);
# - CLIENTS ping processes (each its own port, so its own 4-tuple) all get
#   their pings back, and /metrics shows connections on more than one worker;
# - `ping --migrate-after` survives the move to another port (whose 4-tuple
#   the kernel may give to another worker's socket: forwarded to the owner);
# - a NAT rebinding (a relay switching its outbound port mid-connection,
#   old mapping gone) keeps the connection: the pings go on;
# - over all of it: one handshake per client, zero stateless resets sent by
#   any worker, and a clean exit on SIGTERM;
# - user: misrouted datagrams forwarded (every one delivered, none
#   dropped); kernel: none forwarded at all (the kernel put every datagram
#   on its owner's socket, the migrated and rebound ones included).
# Also: --workers outside 1..64 is refused with a reason.
set -uo pipefail
readonly WORKERS="$1"
readonly STEERING="$2"
case "$STEERING" in
  user) readonly MODE=user-space-forwarding ;;
  kernel) readonly MODE=kernel ;;
  *) echo "FAIL: steering '$STEERING' is neither user nor kernel" >&2; exit 1 ;;
esac
node="$TEST_SRCDIR/p2pquic/node/p2pquic-node"
relay_py="$TEST_SRCDIR/p2pquic/tests/node/nat_rebinding_relay.py"
work="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x "$node" ]] || fail "p2pquic-node not built at $node"
[[ -f "$relay_py" ]] || fail "relay not found at $relay_py"
command -v python3 >/dev/null || fail "python3 is required for the NAT relay"
# shellcheck source=tests/node/metrics_scrape.sh
source "$TEST_SRCDIR/p2pquic/tests/node/metrics_scrape.sh"

# Twelve 4-tuples at least: the chance that the kernel's hash and the CIDs
# agree on every one (so nothing is forwarded), or that every connection
# lands on one worker, is below 1 in 2000 for two workers.
readonly CLIENTS=12
pids=()
cleanup() { for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done; }
trap cleanup EXIT

echo "== --workers out of range is refused"
for bad in 0 65; do
  if "$node" listen /ip4/127.0.0.1/udp/0/quic-v1 --workers "$bad" >"$work/bad.out" 2>&1; then
    fail "--workers $bad was accepted"
  fi
  grep -q 'not in range\|not in 1' "$work/bad.out" || { cat "$work/bad.out"; fail "--workers $bad: no reason"; }
done

echo "== listen --workers $WORKERS"
port=$((20000 + RANDOM % 20000))
"$node" listen /ip4/127.0.0.1/udp/0/quic-v1 --workers "$WORKERS" --steering "$STEERING" \
  --metrics "127.0.0.1:$port" \
  >"$work/listen.log" 2>&1 &
listener=$!
pids+=("$listener")
for _ in $(seq 1 100); do grep -q '^METRICS' "$work/listen.log" && break; sleep 0.1; done
grep -q '^METRICS' "$work/listen.log" || { cat "$work/listen.log"; fail "listener did not start"; }
cat "$work/listen.log"
[[ $(grep -c '^LISTEN ' "$work/listen.log") -eq 1 ]] || fail "LISTEN not printed exactly once"
grep -qx "WORKERS $WORKERS" "$work/listen.log" || fail "no 'WORKERS $WORKERS' line"
grep -q "^STEERING $MODE (.\\+)\$" "$work/listen.log" || fail "no 'STEERING $MODE (...)' line"
[[ $(grep -c '' "$work/listen.log") -eq 4 ]] || fail "the listener printed more than its 4 lines"
address=$(sed -n 's/^LISTEN //p' "$work/listen.log")
server_port=$(sed -n 's|^/ip4/127.0.0.1/udp/\([0-9]*\)/.*|\1|p' <<<"$address")
peer=${address##*/p2p/}

echo "== $CLIENTS ping processes at once"
clients=()
for i in $(seq 1 $CLIENTS); do
  "$node" ping "$address" --count 3 --interval 0.05 --timeout 20 >"$work/ping$i.out" 2>&1 &
  clients+=($!)
  pids+=($!)
done
for i in $(seq 1 $CLIENTS); do
  wait "${clients[$((i - 1))]}" || { cat "$work/ping$i.out"; fail "ping client $i failed"; }
  [[ $(grep -c '^PING' "$work/ping$i.out") -eq 3 ]] || { cat "$work/ping$i.out"; fail "client $i: not 3 pings"; }
done

echo "== ping --migrate-after"
"$node" ping "$address" --count 6 --migrate-after 3 --interval 0.05 --timeout 20 >"$work/migrate.out" 2>&1 ||
  { cat "$work/migrate.out"; fail "ping --migrate-after failed"; }
cat "$work/migrate.out"
grep -q '^PATH .* validated (same connection, 1 handshake)$' "$work/migrate.out" || fail "migration not validated"

echo "== NAT rebinding through a relay"
python3 "$relay_py" "$server_port" 0.6 30 >"$work/relay.log" 2>&1 &
relay=$!
pids+=("$relay")
for _ in $(seq 1 50); do grep -q '^RELAY' "$work/relay.log" && break; sleep 0.1; done
relay_port=$(sed -n 's/^RELAY //p' "$work/relay.log")
[[ -n "$relay_port" ]] || { cat "$work/relay.log"; fail "relay did not start"; }
"$node" ping "/ip4/127.0.0.1/udp/$relay_port/quic-v1/p2p/$peer" --count 12 --interval 0.1 --timeout 20 \
  >"$work/rebind.out" 2>&1 || { cat "$work/rebind.out" "$work/relay.log"; fail "ping through the rebinding relay failed"; }
kill -TERM "$relay" 2>/dev/null
wait "$relay" 2>/dev/null
cat "$work/relay.log"
grep -q '^REBOUND [0-9]* -> [0-9]*$' "$work/relay.log" || fail "the relay never rebound"
[[ $(grep -c '^PING' "$work/rebind.out") -eq 12 ]] || { cat "$work/rebind.out"; fail "not 12 pings through the relay"; }
# Pings after the rebinding: the relay rebound 0.6 s in, the 12 pings take ~1.1 s after the handshake.

sleep 1.5  # Each worker exports once a second.
scrape "$port" >"$work/metrics.txt" || fail "cannot scrape /metrics"
value() { metric_value "$work/metrics.txt" "$1"; }
total_clients=$((CLIENTS + 2))
handshakes=$(value p2pquic_endpoint_handshakes_completed_total)
started=$(value p2pquic_endpoint_handshakes_started_total)
resets_sent=$(value 'p2pquic_endpoint_stateless_resets_total{result="sent"}')
resets_received=$(value p2pquic_endpoint_stateless_resets_received_total)
validated=$(value 'p2pquic_endpoint_path_validations_total{result="succeeded"}')
out=$(value 'p2pquic_steering_datagrams_total{path="forwarded_out"}')
in=$(value 'p2pquic_steering_datagrams_total{path="forwarded_in"}')
here=$(value 'p2pquic_steering_datagrams_total{path="delivered_here"}')
drops=$(value p2pquic_steering_forward_queue_drops_total)
mode=$(value 'p2pquic_steering_mode{listen="'"$address"'",mode="'"$MODE"'"}')
busy=$(worker_values "$work/metrics.txt" p2pquic_endpoint_handshakes_completed_total | awk '$2 > 0' | wc -l)
echo "handshakes=$handshakes/$started resets sent=$resets_sent received=$resets_received" \
  "validated=$validated delivered_here=$here forwarded out=$out in=$in drops=$drops" \
  "workers with connections=$busy mode=$mode"
worker_values "$work/metrics.txt" p2pquic_endpoint_handshakes_completed_total
[[ "$handshakes" == "$total_clients" && "$started" == "$total_clients" ]] ||
  fail "$handshakes handshakes completed, $started started; want one per client ($total_clients)"
[[ "$resets_sent" == 0 && "$resets_received" == 0 ]] || fail "stateless resets: sent $resets_sent, received $resets_received"
[[ "$validated" -ge 2 ]] || fail "path validations succeeded=$validated, want >= 2 (migration, rebinding)"
[[ "$busy" -ge 2 ]] || fail "connections on $busy worker(s); want more than one"
if [[ "$STEERING" == user ]]; then
  [[ "$out" -gt 0 ]] || fail "no datagram was forwarded: the steering did not run"
  [[ "$in" == "$out" && "$drops" == 0 ]] || fail "forwarded out $out, in $in, dropped $drops"
else
  [[ "$out" == 0 && "$in" == 0 ]] || fail "the kernel program misrouted: forwarded out $out, in $in"
fi
[[ "$mode" == 1 ]] || fail "steering mode gauge for $MODE is '$mode'"
[[ $(worker_values "$work/metrics.txt" p2pquic_endpoint_connections | wc -l) -eq $WORKERS ]] ||
  fail "not one p2pquic_endpoint_connections series per worker"

echo "== SIGTERM"
kill -TERM "$listener"
for _ in $(seq 1 100); do kill -0 "$listener" 2>/dev/null || break; sleep 0.1; done
kill -0 "$listener" 2>/dev/null && fail "listener still running 10 s after SIGTERM"
wait "$listener"
code=$?
[[ $code -eq 0 ]] || { cat "$work/listen.log"; fail "SIGTERM exit code $code"; }
echo "PASS"
