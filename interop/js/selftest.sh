#!/usr/bin/env bash
# js <-> js self-test of the interop peer: for each listener identity
# (ed25519, secp256k1, rsa) and each loopback family (127.0.0.1, ::1), start
# "peer.mjs listen", then from separate processes run ping, identify and perf
# (10 MB up, 10 MB down) against it; the dialer's identity cycles through the
# three key types too. Exit 0 only if every check passed.
#
#   interop/js/selftest.sh [--prefix DIR]     (same --prefix as setup.sh)
set -uo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
SETUP_OUT="$("$HERE/setup.sh" "$@")" || { echo "selftest: setup.sh failed" >&2; exit 1; }
NODE="$(sed -n 's/^NODE=//p' <<<"$SETUP_OUT" | tail -1)"
PEER="$(sed -n 's/^PEER=//p' <<<"$SETUP_OUT" | tail -1)"
TMP="$(mktemp -d)"
LPID=""
cleanup() { [ -n "$LPID" ] && kill "$LPID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

pass=0; fail=0
check() { # name, command...
  local name="$1"; shift
  if out="$("$@" 2>&1)"; then
    pass=$((pass + 1)); echo "ok   $name: $(tail -1 <<<"$out" | cut -c1-160)"
  else
    fail=$((fail + 1)); echo "FAIL $name: $(tail -3 <<<"$out" | tr '\n' ' ')"
  fi
}

KEYS=(ed25519 secp256k1 rsa)
i=0
for lkey in "${KEYS[@]}"; do
  for ip in /ip4/127.0.0.1 /ip6/::1; do
    dkey="${KEYS[$(( (i + 1) % 3 ))]}"; i=$((i + 1))
    : >"$TMP/listen.out"
    "$NODE" "$PEER" listen "$ip/udp/0/quic-v1" --key-type "$lkey" >"$TMP/listen.out" 2>"$TMP/listen.err" &
    LPID=$!
    for _ in $(seq 1 150); do grep -q '^READY$' "$TMP/listen.out" && break; sleep 0.1; done
    ADDR="$(sed -n 's/^LISTEN //p' "$TMP/listen.out" | head -1)"
    if [ -z "$ADDR" ]; then
      fail=$((fail + 1)); echo "FAIL listen $lkey $ip: $(cat "$TMP/listen.err")"; kill "$LPID"; LPID=""; continue
    fi
    tag="listener=$lkey dialer=$dkey $ip"
    check "ping     $tag" "$NODE" "$PEER" ping "$ADDR" --count 3 --key-type "$dkey"
    check "identify $tag" bash -c '
      out="$("$1" "$2" identify "$3" --key-type "$4")" || exit 1
      echo "$out"
      "$1" -e "
        const r = JSON.parse(process.argv[1]), want = process.argv[2].split(\"/p2p/\")[1]
        const ok = r.peerId === want && [\"/ipfs/id/1.0.0\", \"/ipfs/ping/1.0.0\", \"/perf/1.0.0\"].every(p => r.protocols.includes(p))
        if (!ok) { console.error(\"identify result mismatch\"); process.exit(1) }
        console.log(\"peerId ok, key \" + r.publicKeyType + \", observed \" + r.observedAddr)" "$out" "$3"' _ "$NODE" "$PEER" "$ADDR" "$dkey"
    check "perf     $tag" "$NODE" "$PEER" perf "$ADDR" --upload 10M --download 10M --key-type "$dkey"
    kill -TERM "$LPID"
    if wait "$LPID"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL listener $tag did not exit 0 on SIGTERM"; fi
    LPID=""
  done
done
echo "selftest: $pass passed, $fail failed"
[ "$fail" = 0 ]
