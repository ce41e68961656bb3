# Sourced by the node tests: fetch a node's /metrics and read one sample.
#   scrape PORT > FILE          HTTP/1.0 GET over bash's /dev/tcp (no curl needed)
#   metric_value FILE SAMPLE    the value of SAMPLE (name{labels}) in FILE, or nothing

scrape() {
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}

metric_value() { awk -v m="$2" '$1 == m { print $2 }' "$1"; }
