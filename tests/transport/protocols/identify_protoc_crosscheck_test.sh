#!/bin/sh
# Cross-checks the hand-written identify codec against protoc, an independent
# protobuf implementation (Debian's protobuf-compiler):
#   1. protoc's encoding of the sample equals ours, byte for byte;
#   2. we decode protoc's encoding back to the sample;
#   3. we decode the sample with extra fields of every wire type (what a later
#      Identify could carry) to the same sample, skipping the extras.
# Usage: identify_protoc_crosscheck_test.sh TOOL PROTO SAMPLE SAMPLE_WITH_EXTRAS
set -eu

tool="$PWD/$1"
proto="$PWD/$2"
sample="$PWD/$3"
extras="$PWD/$4"
protoc=$(command -v protoc) || {
  echo "protoc not found: install Debian's protobuf-compiler (bazel/debian-packages.txt)" >&2
  exit 1
}
work="${TEST_TMPDIR:-$(mktemp -d)}/identify_crosscheck"
mkdir -p "$work"

encode() {  # MESSAGE_TYPE SAMPLE OUTPUT
  "$protoc" --proto_path="$(dirname "$proto")" --encode="$1" "$(basename "$proto")" <"$2" >"$3"
}

encode Identify "$sample" "$work/protoc.bin"
"$tool" encode >"$work/ours.bin"
if ! cmp -s "$work/protoc.bin" "$work/ours.bin"; then
  echo "FAIL: our encoding differs from protoc's" >&2
  echo "protoc:" >&2; od -An -tx1 "$work/protoc.bin" >&2
  echo "ours:" >&2; od -An -tx1 "$work/ours.bin" >&2
  exit 1
fi
echo "ok: encoding equals protoc's ($(wc -c <"$work/ours.bin") bytes)"

"$tool" check <"$work/protoc.bin" || { echo "FAIL: decoding protoc's bytes" >&2; exit 1; }
echo "ok: decoded protoc's encoding to the sample"

encode IdentifyWithExtras "$extras" "$work/extras.bin"
"$tool" check <"$work/extras.bin" || { echo "FAIL: decoding with unknown fields" >&2; exit 1; }
echo "ok: skipped unknown fields of every wire type"
