#!/usr/bin/env bash
# A real Prometheus server (Debian's) scrapes a real p2pquic-node, and the
# node's traffic is then visible through Prometheus's own query API.
set -uo pipefail
node="$TEST_SRCDIR/p2pquic/node/p2pquic-node"
work="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*" >&2; exit 1; }
prometheus=$(command -v prometheus) || fail "prometheus (Debian package prometheus) is missing"

node_port=$((20000 + RANDOM % 10000))
prom_port=$((30000 + RANDOM % 10000))
"$node" listen /ip4/127.0.0.1/udp/0/quic-v1 --metrics "127.0.0.1:$node_port" >"$work/listen.log" 2>&1 &
node_pid=$!
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: p2pquic
    static_configs:
      - targets: ["127.0.0.1:$node_port"]
YAML
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
prom_pid=$!
trap 'kill $node_pid $prom_pid 2>/dev/null' EXIT

for _ in $(seq 1 100); do grep -q '^LISTEN' "$work/listen.log" && break; sleep 0.1; done
address=$(sed -n 's/^LISTEN //p' "$work/listen.log")
[[ -n "$address" ]] || fail "node did not start"
"$node" ping "$address" --count 2 --interval 0.05 --timeout 10 || fail "ping failed"

query() {  # query <promql>: the JSON answer of /api/v1/query
  exec 3<>"/dev/tcp/127.0.0.1/$prom_port" || return 1
  printf 'GET /api/v1/query?query=%s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}
answer=""
for _ in $(seq 1 60); do  # <= 30 s: Prometheus start + a few scrapes.
  answer=$(query 'p2pquic_endpoint_handshakes_completed_total' 2>/dev/null)
  grep -q '"value":\[[0-9.]*,"[1-9]' <<<"$answer" && break
  sleep 0.5
done
echo "$answer"
grep -q '"job":"p2pquic"' <<<"$answer" || fail "Prometheus never scraped the node"
grep -q '"value":\[[0-9.]*,"[1-9]' <<<"$answer" || fail "handshakes not visible in Prometheus"
up=$(query 'up{job="p2pquic"}')
grep -q '"value":\[[0-9.]*,"1"\]' <<<"$up" || fail "target not up: $up"
echo "PASS"
