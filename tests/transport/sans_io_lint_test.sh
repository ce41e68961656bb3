#!/bin/sh
# Sans-I/O lint: transport code outside the runtimes (transport/runtime/asio,
# transport/runtime/openssl) must never read a clock, draw OS randomness or touch a socket itself; it is handed Clock,
# Random and DatagramSocket by a runtime. This fails, printing file:line, for
# any mention of the forbidden calls below (comments included: name the
# seam instead).
#
# Usage: sans_io_lint_test.sh FILE...  (paths relative to the workspace root,
# as $(rootpaths //transport/base:sources_for_lint) gives them). Files
# outside transport/, or in a runtime under transport/runtime/ (the seams in
# transport/runtime/ itself are checked), are skipped.
set -u

# One extended regex per forbidden thing. A call name must not be part of a
# longer identifier or a member access (operand(, udp_socket(, conn.socket()).
not_ident='(^|[^[:alnum:]_.>])'
patterns="
steady_clock
system_clock
high_resolution_clock
random_device
getrandom
${not_ident}s?rand[(]
${not_ident}time[(][[:space:]]*(nullptr|NULL|0)[[:space:]]*[)]
gettimeofday
clock_gettime
${not_ident}socket[(]
recvfrom
sendto
${not_ident}(send|recv)m?msg[(]
"

if [ "$#" -eq 0 ]; then
  echo "sans_io_lint: no files given (is a sources_for_lint filegroup empty?)" >&2
  exit 2
fi

status=0
checked=0
for file in "$@"; do
  case "$file" in
    transport/runtime/*/*) continue ;;
    transport/*.h | transport/*.cc) ;;
    *) continue ;;
  esac
  if [ ! -f "$file" ]; then
    echo "sans_io_lint: cannot read $file" >&2
    status=2
    continue
  fi
  checked=$((checked + 1))
  # Each pattern on its own, so the report names the rule that matched.
  printf '%s\n' "$patterns" | while IFS= read -r pattern; do
    [ -n "$pattern" ] || continue
    grep -nE -- "$pattern" "$file" | while IFS= read -r hit; do
      echo "$file:${hit%%:*}: forbidden in sans-I/O code (/$pattern/): ${hit#*:}"
    done
  done >"${TMPDIR:-/tmp}/sans_io_lint.$$"
  if [ -s "${TMPDIR:-/tmp}/sans_io_lint.$$" ]; then
    sort -t: -k2,2n "${TMPDIR:-/tmp}/sans_io_lint.$$"
    status=1
  fi
  rm -f "${TMPDIR:-/tmp}/sans_io_lint.$$"
done

if [ "$checked" -eq 0 ]; then
  echo "sans_io_lint: none of the $# files given is a sans-I/O source" >&2
  exit 2
fi
if [ "$status" -eq 0 ]; then
  echo "sans_io_lint: $checked files clean"
elif [ "$status" -eq 1 ]; then
  echo "sans_io_lint: transport code must use the Clock, Random and DatagramSocket seams;" \
    "only transport/runtime/ may call the OS" >&2
fi
exit "$status"
