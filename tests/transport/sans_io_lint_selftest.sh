#!/bin/sh
# Checks that sans_io_lint_test.sh catches violations, names file:line, skips
# transport/runtime/, and passes clean code: the lint must be able to fail.
set -u

lint="$PWD/$1"
work="${TEST_TMPDIR:-$(mktemp -d)}/lint_selftest"
rm -rf "$work"
mkdir -p "$work/transport/runtime/asio" "$work/transport/sub"
cd "$work" || exit 1

cat >transport/clean.h <<'SRC'
// Time comes from the Clock seam; randomness from Random.
#include "transport/runtime/clock.h"
inline int Operand(int x) { return x; }
inline int UseMembers(Conn& c) { return c.socket() + c.rand(); }
SRC
cat >transport/bad.cc <<'SRC'
#include <chrono>
int ok() { return 0; }
auto t = std::chrono::steady_clock::now();
int r = rand();
SRC
cat >transport/sub/bad_socket.cc <<'SRC'
int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
long now = time(nullptr);
SRC
cat >transport/runtime/asio/exempt.cc <<'SRC'
auto t = std::chrono::steady_clock::now();
SRC

fail=0
check() {  # description, expected exit status, files...
  description=$1
  expected=$2
  shift 2
  output=$(sh "$lint" "$@" 2>&1)
  actual=$?
  if [ "$actual" -ne "$expected" ]; then
    echo "FAIL: $description: exit $actual, expected $expected; output:"
    echo "$output"
    fail=1
  fi
  printf '%s\n' "$output"
}

out=$(check "clean file passes" 0 transport/clean.h transport/runtime/asio/exempt.cc)
echo "$out"
case "$out" in *FAIL:*) fail=1 ;; esac

out=$(check "violations fail" 1 transport/clean.h transport/bad.cc transport/sub/bad_socket.cc \
  transport/runtime/asio/exempt.cc)
echo "$out"
case "$out" in *FAIL:*) fail=1 ;; esac
for expected in "transport/bad.cc:3:" "transport/bad.cc:4:" "transport/sub/bad_socket.cc:1:" \
  "transport/sub/bad_socket.cc:2:"; do
  case "$out" in
    *"$expected"*) ;;
    *) echo "FAIL: expected a report of $expected" && fail=1 ;;
  esac
done
for unexpected in "transport/clean.h" "exempt.cc" "transport/bad.cc:1:" "transport/bad.cc:2:"; do
  case "$out" in
    *"$unexpected"*) echo "FAIL: unexpected report of $unexpected" && fail=1 ;;
  esac
done

out=$(check "no files is an error" 2)
case "$out" in *FAIL:*) echo "$out" && fail=1 ;; esac
out=$(check "only exempt files is an error" 2 transport/runtime/asio/exempt.cc)
case "$out" in *FAIL:*) echo "$out" && fail=1 ;; esac

if [ "$fail" -ne 0 ]; then
  echo "sans_io_lint selftest FAILED"
  exit 1
fi
echo "sans_io_lint selftest passed"
