# Sourced by the node tests: fetch a node's /metrics and read one sample.
#   scrape PORT > FILE          HTTP/1.0 GET over bash's /dev/tcp (no curl needed)
#   metric_value FILE SAMPLE    the value of SAMPLE (name{labels}) in FILE summed over
#                               the node's workers (the worker label), or nothing
#   worker_values FILE SAMPLE   one "worker value" line per worker for SAMPLE

scrape() {
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}

# The sample's name and labels without its worker="N" label.
_without_worker='{ s = $1; gsub(/,?worker="[^"]*"/, "", s); sub(/\{,/, "{", s); sub(/\{\}/, "", s) }'

metric_value() {
  awk -v m="$2" "$_without_worker"' s == m { sum += $2; found = 1 }
    END { if (found) printf "%.0f\n", sum }' "$1"
}

worker_values() {
  awk -v m="$2" "$_without_worker"' s == m && match($1, /worker="[^"]*"/) {
    print substr($1, RSTART + 8, RLENGTH - 9), $2 }' "$1"
}
