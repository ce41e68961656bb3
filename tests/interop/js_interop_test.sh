#!/usr/bin/env bash
# Interop with an independent libp2p: js-libp2p + @chainsafe/libp2p-quic
# (rust-libp2p's TLS over quinn/rustls), pinned in interop/js and installed
# by bazel/bazelw. Both directions: our node dials the js listener, the js
# dialer dials our listener; ping, identify, perf 10 MB each way; our four
# identity key types and the js peer's three; `ping --migrate-after`
# against the js listener, which forbids client migration (see below). A
# missing peer FAILS.
set -uo pipefail

ours="$TEST_SRCDIR/p2pquic/node/p2pquic-node"
js_node="${P2PQUIC_JS_NODE:-}"
js_peer="${P2PQUIC_JS_PEER:-}"
work="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
checks=0

die() { echo "FATAL: $*" >&2; exit 1; }
[[ -x "$ours" ]] || die "p2pquic-node not built at $ours"
[[ -n "$js_node" && -x "$js_node" && -n "$js_peer" && -f "$js_peer" ]] ||
  die "the js-libp2p peer is missing (P2PQUIC_JS_NODE='$js_node' P2PQUIC_JS_PEER='$js_peer'); run the tests through bazel/bazelw, which installs it"

check() {  # check <description> <command...>: the command must succeed.
  local what=$1
  shift
  checks=$((checks + 1))
  if "$@" >"$work/out" 2>"$work/err"; then
    echo "ok   $what"
  else
    failures=$((failures + 1))
    echo "FAIL $what"
    sed 's/^/     | /' "$work/out" "$work/err" | tail -n 15
  fi
}

# Starts a listener in the background; sets LISTEN_ADDR and LISTENER_PID.
start_listener() {  # start_listener <logfile> <command...>
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  LISTENER_PID=$!
  LISTEN_ADDR=""
  for _ in $(seq 1 200); do  # <= 20 s
    LISTEN_ADDR=$(sed -n 's/^LISTEN \(\/ip4\/127.*\)$/\1/p' "$log" | head -n 1)
    [[ -n "$LISTEN_ADDR" ]] && grep -q -e '^READY' -e '^LISTEN' "$log" && break
    kill -0 "$LISTENER_PID" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "$LISTEN_ADDR" ]] || { cat "$log" >&2; die "listener did not start: $*"; }
  # The js peer prints READY once it serves.
  for _ in $(seq 1 100); do
    if grep -q '^READY' "$log" || [[ "$1" == "$ours" ]]; then break; fi
    sleep 0.1
  done
}

stop_listener() {
  kill -TERM "$LISTENER_PID" 2>/dev/null
  local code=0
  wait "$LISTENER_PID" || code=$?
  return $code
}

expect_lines() {  # expect_lines <pattern> <count> <command...>
  local pattern=$1 count=$2
  shift 2
  "$@" | tee /dev/stderr | [[ $(grep -c "$pattern") -ge $count ]]
}

json_has() {  # json_has <jq-ish grep pattern> <command...>
  local pattern=$1
  shift
  "$@" | tee /dev/stderr | grep -q -- "$pattern"
}

perf_exact() {  # perf_exact <bytes> <command...>: both directions moved exactly <bytes>
  local bytes=$1
  shift
  local out
  out=$("$@") || return 1
  echo "$out"
  grep -Eq "\"(uploadBytes|uploaded)\": ?$bytes" <<<"$out" &&
    grep -Eq "\"(downloadBytes|downloaded)\": ?$bytes" <<<"$out"
}

# The js listener forbids client migration: @chainsafe/libp2p-quic, like
# rust-libp2p, builds its quinn server config with migration(false), so it
# sends the disable_active_migration transport parameter, and RFC 9000 §9
# says a client MUST NOT migrate then (quinn drops packets from a client's
# new address). So `ping --migrate-after` must ping, then refuse to move
# (before its socket moves: no MIGRATED line) naming that parameter, and
# exit 1; the connection it kept is closed gracefully.
migration_refused() {  # migration_refused <pings before the move> <command...>
  local before=$1 out code=0
  shift
  out=$("$@" 2>&1) || code=$?
  echo "$out"
  [[ $code -eq 1 ]] && [[ $(grep -c '^PING ' <<<"$out") -eq $before ]] &&
    ! grep -q '^MIGRATED' <<<"$out" &&
    grep -q 'migrate: the peer does not allow migration (it sent disable_active_migration)' <<<"$out"
}

readonly TEN_MB=10485760

echo "== our node dials the js listener"
for kt in ed25519 secp256k1 rsa; do
  start_listener "$work/js-$kt.log" "$js_node" "$js_peer" listen /ip4/127.0.0.1/udp/0/quic-v1 --key-type "$kt"
  check "js[$kt] <- ours: ping x3" expect_lines '^PING ' 3 "$ours" ping "$LISTEN_ADDR" --count 3 --interval 0.05 --timeout 20
  check "js[$kt] <- ours: identify (js agent, ping protocol)" \
    bash -c "'$ours' identify '$LISTEN_ADDR' --timeout 20 | tee /dev/stderr | grep -q 'js-libp2p' && '$ours' identify '$LISTEN_ADDR' --timeout 20 | grep -q '/ipfs/ping/1.0.0'"
  if [[ "$kt" == ed25519 ]]; then
    check "js[$kt] <- ours: perf 10 MB up, 10 MB down" perf_exact $TEN_MB "$ours" perf "$LISTEN_ADDR" --upload $TEN_MB --download $TEN_MB --json --timeout 60
    check "js[$kt] <- ours: ping --migrate-after 3: 3 pings, then refused (js sends disable_active_migration)" \
      migration_refused 3 "$ours" ping "$LISTEN_ADDR" --count 6 --migrate-after 3 --interval 0.05 --timeout 20
    check "js[$kt] <- ours: the js listener still serves after the refused migration" \
      expect_lines '^PING ' 2 "$ours" ping "$LISTEN_ADDR" --count 2 --interval 0.05 --timeout 20
  fi
  stop_listener
done
check "ours refuses a js listener that is not the dialed peer" bash -c "
  '$js_node' '$js_peer' listen /ip4/127.0.0.1/udp/0/quic-v1 >'$work/js-other.log' 2>&1 & pid=\$!
  for i in \$(seq 1 100); do grep -q '^READY' '$work/js-other.log' && break; sleep 0.1; done
  addr=\$(sed -n 's/^LISTEN \(\/ip4\/127[^ ]*\)\/p2p\/.*/\1/p' '$work/js-other.log' | head -n 1)
  wrong=\$(sed -n 's/.*\/p2p\///p' <<<'$LISTEN_ADDR')
  out=\$('$ours' ping \"\$addr/p2p/\$wrong\" --count 1 --timeout 10 2>&1); code=\$?
  kill \$pid; echo \"\$out\"; [[ \$code -ne 0 ]] && grep -q 'not the one dialed' <<<\"\$out\""

echo "== the js dialer dials our listener"
for kt in ed25519 secp256k1 ecdsa rsa; do
  "$ours" keygen --type "$kt" -o "$work/ours-$kt.key" --force >/dev/null || die "keygen $kt"
  start_listener "$work/ours-$kt.log" "$ours" listen /ip4/127.0.0.1/udp/0/quic-v1 --identity "$work/ours-$kt.key"
  if [[ "$kt" == ecdsa ]]; then
    # js-libp2p's TLS (rust libp2p-tls, built without ECDSA identities)
    # refuses ECDSA host keys outright; the spec allows them, so prove
    # ours with ours, and that the js refusal is exactly that.
    check "ours[$kt] <- ours: ping x3" expect_lines '^PING ' 3 "$ours" ping "$LISTEN_ADDR" --count 3 --interval 0.05 --timeout 20
    check "ours[$kt] <- js: refused by js for the ECDSA host key (a js-libp2p limit)" bash -c \
      "out=\$('$js_node' '$js_peer' ping '$LISTEN_ADDR' --count 1 --timeout 20 2>&1); echo \"\$out\"; grep -q 'invalid peer certificate' <<<\"\$out\""
  else
    check "ours[$kt] <- js: ping x3" expect_lines '^PING ' 3 "$js_node" "$js_peer" ping "$LISTEN_ADDR" --count 3 --timeout 20
    check "ours[$kt] <- js: identify (p2pquic agent, perf protocol)" \
      json_has '/perf/1.0.0' "$js_node" "$js_peer" identify "$LISTEN_ADDR" --timeout 20
  fi
  if [[ "$kt" == ed25519 ]]; then
    check "ours[$kt] <- js: perf 10 MB up, 10 MB down" perf_exact $TEN_MB "$js_node" "$js_peer" perf "$LISTEN_ADDR" --upload $TEN_MB --download $TEN_MB --timeout 60
  fi
  check "ours[$kt]: SIGTERM closes gracefully with exit 0" stop_listener
done

echo "$((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
