#!/usr/bin/env bash
# p2pquic-sim as a user runs it: replay (summary, --json, --trace, --qlog,
# --pcap, --keylog, --frames, --metrics), exit codes 0/1/2, bad files named by JSON
# path, check-determinism across two processes, list.
set -u
SIM="$1"
LIBRARY="scenarios/library"
WORK="${TEST_TMPDIR:-$(mktemp -d)}"
passed=0
failed=0

check() {  # check NAME CONDITION-COMMAND...
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
  fi
}

# 1. A green replay: exit 0, a verdict, a digest, the times.
out="$("$SIM" replay "$LIBRARY/migration.json")"
code=$?
check "replay exits 0" test "$code" -eq 0
check "summary says PASS" grep -q '^PASS migration (seed 13)' <<<"$out"
check "summary has the digest" grep -Eq 'digest [0-9a-f]{16}' <<<"$out"
check "summary has virtual and wall time" grep -Eq 'virtual [0-9.]+s, wall [0-9.]+s' <<<"$out"

# 2. Every artefact a bug report needs.
"$SIM" replay "$LIBRARY/migration.json" --trace "$WORK/t.jsonl" --qlog "$WORK/qlog" \
  --pcap "$WORK/run.pcap" --keylog "$WORK/keys.log" >/dev/null
check "trace has routed datagrams" grep -q '"ev":"datagram_in".*"route":"cid_hit"' "$WORK/t.jsonl"
check "trace has the path validation" grep -q '"ev":"path_validation".*"result":"succeeded"' "$WORK/t.jsonl"
check "trace has CID events" grep -q '"ev":"cid_issued"' "$WORK/t.jsonl"
check "trace has stream progress" grep -q '"ev":"stream"' "$WORK/t.jsonl"
check "trace has the CID frames" grep -q '"ev":"frame".*"dir":"sent","frame":"new_connection_id".*"seq":1' "$WORK/t.jsonl"
check "trace has the path frames" grep -q '"ev":"frame".*"frame":"path_challenge"' "$WORK/t.jsonl"
check "every trace line is JSON" python3 -c '
import json, sys
for line in open(sys.argv[1]): json.loads(line)' "$WORK/t.jsonl"
check "one qlog per connection" test "$(ls "$WORK/qlog" | wc -l)" -eq 2
check "qlog has packets" grep -q 'transport:packet_sent' "$WORK/qlog/client-0-0.sqlog"
check "pcap is nanosecond pcap" test "$(head -c 4 "$WORK/run.pcap" | od -An -tx1 | tr -d ' ')" = "4d3cb2a1"
check "pcap has records" test "$(stat -c %s "$WORK/run.pcap")" -gt 100000
check "key log has TLS 1.3 secrets" grep -Eq '^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$' "$WORK/keys.log"
check "key log has both directions" grep -q '^SERVER_TRAFFIC_SECRET_0 ' "$WORK/keys.log"

# 3. --json and --metrics.
json="$("$SIM" replay "$LIBRARY/clean-transfer.json" --json --metrics)"
check "json verdict" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["verdict"]=="pass" and len(d["digest"])==16 and d["expectations"]' "$json"
check "json carries metrics" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert "p2pquic_registry_lookups_total" in d["metrics"] and "p2pquic_endpoint_datagrams_total" in d["metrics"]' "$json"
metrics="$("$SIM" replay "$LIBRARY/clean-transfer.json" --metrics)"
check "metrics per host in text" grep -q '^# host server' <<<"$metrics"

# 3b. --frames: the cid-sequence oracle checks every NEW_CONNECTION_ID without a trace.
plain="$("$SIM" replay "$LIBRARY/migration.json" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["oracle_checks"])')"
framed="$("$SIM" replay "$LIBRARY/migration.json" --json --frames | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["verdict"]=="pass"; print(d["oracle_checks"])')"
check "--frames adds the frame oracle's checks" test "$framed" -gt "$plain"
# 3c. A path MTU black hole is counted (metric) and traced, on the sender only.
metrics="$("$SIM" replay "$LIBRARY/pmtu-black-hole.json" --metrics --trace "$WORK/pmtu.jsonl")"
check "black hole replays green" grep -q '^PASS pmtu-black-hole' <<<"$metrics"
check "black hole metric on the client" python3 -c '
import sys
host, counts = None, {}
for line in sys.argv[1].splitlines():
    if line.startswith("# host "): host = line.split()[2]
    elif line.startswith("p2pquic_endpoint_pmtu_black_holes_total "): counts[host] = float(line.split()[1])
assert counts == {"client": 1.0, "server": 0.0}, counts' "$metrics"
check "black hole traced with both sizes" grep -q '"ev":"pmtu_black_hole".*"base_size":1200.*"probed_size":1444' "$WORK/pmtu.jsonl"

# 4. A run whose expectation does not hold: exit 1, FAIL, the expectation named.
sed 's/"kind": "route_count", "host": "server", "outcome": "miss_short", "max": 0/"kind": "route_count", "host": "server", "outcome": "fallback", "min": 1/' \
  "$LIBRARY/clean-transfer.json" >"$WORK/unmet.json"
python3 - "$LIBRARY/clean-transfer.json" "$WORK/unmet.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["expect"].append({"kind": "route_count", "host": "server", "outcome": "fallback", "min": 1})
json.dump(d, open(sys.argv[2], "w"))
PY
out="$("$SIM" replay "$WORK/unmet.json")"
code=$?
check "unmet expectation exits 1" test "$code" -eq 1
check "unmet expectation is named" grep -q '\[FAILED\] route fallback on server' <<<"$out"

# 5. Bad input: exit 2 and the JSON path with the reason.
python3 - "$LIBRARY/clean-transfer.json" "$WORK/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["timeline"][0]["action"] = "migrat"
json.dump(d, open(sys.argv[2], "w"))
PY
err="$("$SIM" replay "$WORK/bad.json" 2>&1 >/dev/null)"
code=$?
check "bad file exits 2" test "$code" -eq 2
check "bad file names the path" grep -q '\$.timeline\[0\].action' <<<"$err"
check "bad file says why" grep -q 'unknown action "migrat"' <<<"$err"
"$SIM" replay "$WORK/missing.json" >/dev/null 2>&1
check "missing file exits 2" test $? -eq 2
"$SIM" replay --seed notanumber "$LIBRARY/migration.json" >/dev/null 2>&1
check "bad option exits 2" test $? -eq 2

# 6. Determinism across processes, and a seed that matters.
out="$("$SIM" check-determinism "$LIBRARY/nat-rebind-port.json")"
check "check-determinism exits 0" test $? -eq 0
check "check-determinism says so" grep -q '^DETERMINISTIC nat-rebind-port' <<<"$out"
a="$("$SIM" replay "$LIBRARY/migration.json" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')"
b="$("$SIM" replay "$LIBRARY/migration.json" --json --seed 99 | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')"
check "another seed, another digest" test "$a" != "$b"

# 7. The library listing.
list="$("$SIM" list --dir "$LIBRARY")"
check "list shows every file" test "$(wc -l <<<"$list")" -eq "$(ls "$LIBRARY"/*.json | wc -l)"
check "list has name and description" grep -q '^migration  Client active migration' <<<"$list"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
