#!/usr/bin/env node
// Loopback baseline for the js pair (js-libp2p + @chainsafe/libp2p-quic on both
// ends): handshakes/s, single-connection perf goodput, and (optionally) the
// listener's memory per idle connection. Prints one JSON line. See README.md.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode, loadOrCreateKey, perfClient, pingSameStream } from './lib.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const USAGE = `usage: bench.mjs [<multiaddr>] [options]
  <multiaddr>            a running listener (peer.mjs listen or p2pquic-node listen);
                         without it bench.mjs spawns "peer.mjs listen" on --listen
  --listen MA            address for the spawned listener (default /ip4/127.0.0.1/udp/0/quic-v1)
  --listener-key-type T  identity of the spawned listener: ed25519|secp256k1|rsa (default ed25519)
  --key-type T           identity of the dialers (default ed25519)
  --handshakes N         connections to open, each: dial, [ping], close (default 200; 0 = skip)
  --warmup N             untimed connections first (default 10)
  --concurrency C        C dialer nodes (each its own UDP socket) dialing in parallel (default 1)
  --no-ping              close right after the handshake instead of pinging once first
  --identify             run identify on every connection (dialer and spawned listener), as
                         js-libp2p does by default; off by default so only QUIC+TLS+ping is timed
  --perf-bytes B         bytes per perf run, upload-only then download-only (default 100M; 0 = skip)
  --perf-runs R          perf runs per direction, a fresh connection each (default 3)
  --chunk-size B         perf write size (default 65536)
  --idle-conns M         hold M idle connections open and report the spawned listener's RSS
                         growth per connection, on a fresh spawned listener (default 0 = skip)
  --timeout S            bound on the whole run (default 300)`

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    listen: { type: 'string', default: '/ip4/127.0.0.1/udp/0/quic-v1' },
    'listener-key-type': { type: 'string', default: 'ed25519' },
    'key-type': { type: 'string', default: 'ed25519' },
    handshakes: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '1' },
    'no-ping': { type: 'boolean', default: false },
    identify: { type: 'boolean', default: false },
    'perf-bytes': { type: 'string', default: '100M' },
    'perf-runs': { type: 'string', default: '3' },
    'chunk-size': { type: 'string', default: '65536' },
    'idle-conns': { type: 'string', default: '0' },
    timeout: { type: 'string', default: '300' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (o.help) { console.log(USAGE); process.exit(0) }

function bytes (v) {
  const m = /^(\d+)(k|K|M|G|Ki|Mi|Gi)?$/.exec(v)
  if (m == null) { console.error(`bad byte count '${v}'`); process.exit(2) }
  return Number(m[1]) * ({ k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2]] ?? 1)
}
const int = (v) => { const n = Number(v); if (!Number.isInteger(n) || n < 0) { console.error(`bad number '${v}'`); process.exit(2) } return n }

const handshakes = int(o.handshakes)
const warmup = int(o.warmup)
const concurrency = Math.max(1, int(o.concurrency))
const doPing = !o['no-ping']
const perfBytes = bytes(o['perf-bytes'])
const perfRuns = int(o['perf-runs'])
const chunkSize = bytes(o['chunk-size'])
const idleConns = int(o['idle-conns'])

const children = []
let child = null
const cleanup = () => { for (const c of children) if (c.exitCode == null) c.kill('SIGTERM') }
process.on('exit', cleanup)
setTimeout(() => { console.error(`ERROR bench: timed out after ${o.timeout} s`); cleanup(); process.exit(1) }, Number(o.timeout) * 1000).unref()

async function spawnListener () {
  const args = [join(HERE, 'peer.mjs'), 'listen', o.listen, '--key-type', o['listener-key-type']]
  if (!o.identify) args.push('--no-identify-on-connect')
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const addrs = []
  let buf = ''
  await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`listener exited with ${code} before READY`)))
    child.stdout.on('data', (d) => {
      buf += d
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i); buf = buf.slice(i + 1)
        if (line.startsWith('LISTEN ')) addrs.push(line.slice(7))
        if (line === 'READY') resolve()
      }
    })
  })
  return { child, addr: addrs[0] }
}

function rssBytes (pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m[1]) * 1024
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))]
const r3 = (x) => Math.round(x * 1000) / 1000
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length === 0 ? null : (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) }

async function main () {
  let target = positionals[0]
  if (target == null) ({ child, addr: target } = await spawnListener())
  const ma = multiaddr(target)
  const result = {
    impl: 'js-libp2p 3.3.11 + @chainsafe/libp2p-quic 2.1.1',
    node: process.version,
    target,
    listener: child != null ? { spawned: true, keyType: o['listener-key-type'], identifyOnConnect: o.identify } : { spawned: false },
    dialerKeyType: o['key-type']
  }

  const dialers = []
  for (let i = 0; i < concurrency; i++) {
    const n = await createNode({ privateKey: await loadOrCreateKey(o['key-type']), identifyOnConnect: o.identify, connectionMonitor: false })
    await n.start()
    dialers.push(n)
  }

  const oneHandshake = async (n) => {
    const t = performance.now()
    const conn = await n.dial(ma, { force: true, signal: AbortSignal.timeout(10_000) })
    if (doPing) await pingSameStream(conn, 1, AbortSignal.timeout(10_000))
    await conn.close()
    return performance.now() - t
  }

  // Perf first, on fresh processes: a dialer that has just made 1000
  // connections measured lower and noisier goodput here.
  if (perfBytes > 0 && perfRuns > 0) {
    const up = []; const down = []
    for (const [dir, arr] of [['upload', up], ['download', down]]) {
      for (let i = 0; i < perfRuns; i++) {
        const conn = await dialers[0].dial(ma, { force: true, signal: AbortSignal.timeout(10_000) })
        const res = await perfClient(conn, {
          upload: dir === 'upload' ? perfBytes : 0,
          download: dir === 'download' ? perfBytes : 0,
          chunkSize,
          signal: AbortSignal.timeout(120_000)
        })
        await conn.close()
        if (dir === 'download' && res.downloadBytes !== perfBytes) throw new Error(`download: got ${res.downloadBytes} bytes, expected ${perfBytes}`)
        // goodput = bytes / time from the stream being open to the server's FIN
        arr.push(perfBytes / 1e6 / res.seconds)
      }
    }
    result.perf = {
      bytes: perfBytes,
      runs: perfRuns,
      chunkSize,
      method: 'fresh connection per run; MB/s = bytes/1e6 / (stream open -> end of response)',
      uploadMBps: { median: r3(median(up)), all: up.map(r3) },
      downloadMBps: { median: r3(median(down)), all: down.map(r3) }
    }
  }

  if (handshakes > 0) {
    for (let i = 0; i < warmup; i++) await oneHandshake(dialers[i % concurrency])
    const lat = []
    let next = 0
    const t0 = performance.now()
    await Promise.all(dialers.map(async (n) => {
      while (next < handshakes) { next++; lat.push(await oneHandshake(n)) }
    }))
    const secs = (performance.now() - t0) / 1000
    lat.sort((a, b) => a - b)
    result.handshakes = {
      count: handshakes,
      concurrency,
      perConnection: doPing ? 'dial + 1 ping on a new stream + close' : 'dial + close',
      identify: o.identify,
      seconds: r3(secs),
      perSecond: r3(handshakes / secs),
      latencyMs: { mean: r3(lat.reduce((a, b) => a + b, 0) / lat.length), p50: r3(pct(lat, 50)), p90: r3(pct(lat, 90)), p99: r3(pct(lat, 99)), max: r3(lat[lat.length - 1]) }
    }
  }

  if (idleConns > 0) {
    // A fresh listener (the one above has run perf; its heap would shrink
    // under us), warmed with a few connections first.
    if (positionals[0] != null) throw new Error('--idle-conns needs a spawned listener (give no <multiaddr>)')
    const idle = await spawnListener()
    const idleMa = multiaddr(idle.addr)
    const dial = (i) => dialers[i % concurrency].dial(idleMa, { force: true, signal: AbortSignal.timeout(10_000) })
    for (let i = 0; i < 20; i++) await (await dial(i)).close()
    await new Promise(resolve => setTimeout(resolve, 1000))
    const before = rssBytes(idle.child.pid)
    const conns = []
    for (let i = 0; i < idleConns; i++) conns.push(await dial(i))
    await new Promise(resolve => setTimeout(resolve, 2000))
    const after = rssBytes(idle.child.pid)
    const open = conns.filter(c => c.status === 'open').length
    if (open !== idleConns) throw new Error(`only ${open} of ${idleConns} idle connections stayed open`)
    result.idle = { connections: idleConns, listenerRssBeforeBytes: before, listenerRssAfterBytes: after, bytesPerConnection: Math.round((after - before) / idleConns) }
    await Promise.all(conns.map(c => c.close().catch(() => {})))
  }

  console.log(JSON.stringify(result))
  await Promise.race([Promise.all(dialers.map(n => n.stop())), new Promise(resolve => setTimeout(resolve, 3000).unref())])
  cleanup()
  process.exit(0)
}

main().catch((err) => {
  console.error(`ERROR bench: ${err.name ?? 'Error'}: ${err.message}`)
  cleanup()
  process.exit(1)
})
