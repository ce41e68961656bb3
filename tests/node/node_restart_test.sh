#!/usr/bin/env bash
# A listener that crashes and restarts with the same identity on the same
# port: the dialer's next ping meets a stateless reset it recognises (the
# listener derives its reset secret from its identity key), so `ping` ends
# at once saying "stateless reset", not at its idle timeout.
set -uo pipefail
node="$TEST_SRCDIR/p2pquic/node/p2pquic-node"
work="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x "$node" ]] || fail "p2pquic-node not built at $node"
readonly PROMPT_SECONDS=5  # The idle timeout is 30 s.

"$node" keygen --type ed25519 -o "$work/id.key" >/dev/null || fail "keygen"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
listen() {  # listen <port> <log>
  "$node" listen "/ip4/127.0.0.1/udp/$1/quic-v1" --identity "$work/id.key" >"$2" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -qs '^LISTEN' "$2" && return 0; sleep 0.1; done
  cat "$2"; fail "listener on port $1 did not start"
}

echo "== listener, and a dialer pinging it every 100 ms"
listen 0 "$work/first.log"
first=${pids[-1]}
address=$(sed -n 's/^LISTEN //p' "$work/first.log")
port=$(sed -n 's|^/ip4/127.0.0.1/udp/\([0-9]*\)/.*|\1|p' <<<"$address")
[[ -n "$port" ]] || fail "no port in $address"
"$node" ping "$address" --count 100000 --interval 0.1 --timeout 60 >"$work/ping.out" 2>"$work/ping.err" &
ping=$!
pids+=($ping)
for _ in $(seq 1 100); do grep -q '^PING 3 ' "$work/ping.out" && break; sleep 0.1; done
grep -q '^PING 3 ' "$work/ping.out" || { cat "$work/ping.out" "$work/ping.err"; fail "no pings"; }

echo "== the listener crashes (SIGKILL) and restarts on port $port"
kill -9 "$first"
wait "$first" 2>/dev/null
restarted=$(date +%s%N)
listen "$port" "$work/second.log"
for _ in $(seq 1 $((PROMPT_SECONDS * 20))); do kill -0 "$ping" 2>/dev/null || break; sleep 0.05; done
kill -0 "$ping" 2>/dev/null && { cat "$work/ping.err"; fail "ping still running ${PROMPT_SECONDS}s after the restart"; }
wait "$ping"
code=$?
elapsed_ms=$((($(date +%s%N) - restarted) / 1000000))
cat "$work/ping.err"
[[ $code -eq 1 ]] || fail "ping exited $code, want 1"
grep -q 'connection closed: stateless reset' "$work/ping.err" ||
  fail "ping did not end by a stateless reset"
echo "ok: ping ended ${elapsed_ms} ms after the restart: $(cat "$work/ping.err")"
