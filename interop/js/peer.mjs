#!/usr/bin/env node
// An independent libp2p QUIC peer for p2pquic's interop tests and benchmark:
// js-libp2p + @chainsafe/libp2p-quic (rust-libp2p's libp2p-tls over quinn and
// rustls). Run it with the Node that setup.sh prints (NODE=...). See README.md.
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode, CliError, loadOrCreateKey, perfClient, perfHandler, pingSameStream, publicKeyType, PERF_PROTOCOL } from './lib.mjs'

const USAGE = `usage:
  peer.mjs listen <multiaddr>... [--key-type ed25519|secp256k1|rsa] [--key-file F]
                                 [--lifetime S] [--no-identify-on-connect] [--js-connection-limits] [--verbose]
  peer.mjs ping <multiaddr> [--count N] [--interval S] [--same-stream]
  peer.mjs identify <multiaddr>
  peer.mjs perf <multiaddr> --upload BYTES --download BYTES [--chunk-size BYTES]
  peer.mjs keygen --key-type ed25519|secp256k1|rsa --key-file F
common options:
  --timeout S        bound on the whole command (listen: on start-up only), default 30
  --key-type T       identity key type when no key file exists (default ed25519)
  --key-file F       identity (libp2p protobuf PrivateKey); created (0600) if missing
  --rsa-bits N       RSA modulus size for generated RSA keys (default 2048)
  --help
BYTES accepts a plain integer or a suffix k, M, G (10^3) or Ki, Mi, Gi (2^10).
Output: listen prints "LISTEN <multiaddr>/p2p/<id>" per address then "READY";
ping prints "PING <rtt_ms>" per ping; identify and perf print one JSON line.
Failure: exit 1 and one line "ERROR <command>: <reason>" on stderr (usage: exit 2).`

const OPTIONS = {
  'key-type': { type: 'string', default: 'ed25519' },
  'key-file': { type: 'string' },
  'rsa-bits': { type: 'string', default: '2048' },
  timeout: { type: 'string', default: '30' },
  count: { type: 'string', default: '1' },
  interval: { type: 'string', default: '0' },
  'same-stream': { type: 'boolean', default: false },
  upload: { type: 'string' },
  download: { type: 'string' },
  'chunk-size': { type: 'string', default: '65536' },
  lifetime: { type: 'string', default: '0' },
  'no-identify-on-connect': { type: 'boolean', default: false },
  'js-connection-limits': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false }
}

class UsageError extends Error {}

function parseBytes (name, v) {
  if (v == null) throw new UsageError(`--${name} is required`)
  const m = /^(\d+)(k|K|M|G|Ki|Mi|Gi)?$/.exec(String(v).trim())
  if (m == null) throw new UsageError(`--${name}: not a byte count: '${v}'`)
  const mult = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2]] ?? 1
  const n = Number(m[1]) * mult
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name}: too large: '${v}'`)
  return n
}

function parseNumber (name, v, { min = 0, integer = false } = {}) {
  const n = Number(v)
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new UsageError(`--${name}: bad value '${v}'`)
  return n
}

function parseTarget (positionals) {
  if (positionals.length !== 1) throw new UsageError('expected exactly one <multiaddr>')
  try {
    return multiaddr(positionals[0])
  } catch (err) {
    throw new CliError(`bad multiaddr '${positionals[0]}': ${err.message}`)
  }
}

const out = (line) => process.stdout.write(line + '\n')
const errLine = (line) => process.stderr.write(line + '\n')

let node = null
let command = 'peer.mjs'

async function stopNode () {
  if (node == null) return
  const n = node
  node = null
  await Promise.race([n.stop().catch(() => {}), new Promise(resolve => setTimeout(resolve, 3000).unref())])
}

async function finish (code) {
  await stopNode()
  process.exit(code)
}

function fail (message, code = 1) {
  const lines = String(message).split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('at '))
  errLine(`ERROR ${command}: ${lines.join(' | ')}`)
  // Stopping could hang on a broken connection; the exit must not.
  setTimeout(() => process.exit(code), 3000).unref()
  finish(code)
}

async function main () {
  const argv = process.argv.slice(2)
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') { out(USAGE); process.exit(argv.length === 0 ? 2 : 0) }
  command = argv[0]
  let parsed
  try {
    parsed = parseArgs({ args: argv.slice(1), options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(err.message)
  }
  const { values: o, positionals } = parsed
  if (o.help) { out(USAGE); process.exit(0) }
  const timeoutS = parseNumber('timeout', o.timeout)
  const signal = AbortSignal.timeout(timeoutS * 1000)
  const watchdog = setTimeout(() => fail(`timed out after ${timeoutS} s`), timeoutS * 1000)
  watchdog.unref()
  const rsaBits = parseNumber('rsa-bits', o['rsa-bits'], { min: 1024, integer: true })

  switch (command) {
    case 'keygen': {
      if (o['key-file'] == null) throw new UsageError('keygen needs --key-file')
      const key = await loadOrCreateKey(o['key-type'], o['key-file'], rsaBits)
      const { peerIdFromPrivateKey } = await import('@libp2p/peer-id')
      out(`PEERID ${peerIdFromPrivateKey(key)} ${key.type}`)
      return finish(0)
    }
    case 'listen': {
      if (positionals.length === 0) throw new UsageError('listen needs at least one <multiaddr>')
      const addrs = positionals.map(a => { try { return multiaddr(a).toString() } catch (err) { throw new CliError(`bad multiaddr '${a}': ${err.message}`) } })
      const lifetime = parseNumber('lifetime', o.lifetime)
      const verbose = o.verbose ? (s) => errLine(`[js-peer] ${s}`) : () => {}
      const privateKey = await loadOrCreateKey(o['key-type'], o['key-file'], rsaBits)
      node = await createNode({
        privateKey,
        listen: addrs,
        identifyOnConnect: !o['no-identify-on-connect'],
        loopbackUnlimited: !o['js-connection-limits']
      })
      await node.handle(PERF_PROTOCOL, perfHandler({ chunkSize: parseBytes('chunk-size', o['chunk-size']), log: verbose }), {
        maxInboundStreams: 1024, runOnLimitedConnection: true
      })
      if (o.verbose) {
        node.addEventListener('connection:open', (e) => verbose(`connection open ${e.detail.direction} ${e.detail.remoteAddr}`))
        node.addEventListener('connection:close', (e) => verbose(`connection close ${e.detail.remoteAddr}`))
      }
      await node.start()
      const listening = node.getMultiaddrs()
      if (listening.length === 0) throw new CliError(`not listening on any of ${addrs.join(' ')}`)
      for (const ma of listening) out(`LISTEN ${ma}`)
      out('READY')
      clearTimeout(watchdog)
      const stop = () => { finish(0) }
      process.on('SIGTERM', stop)
      process.on('SIGINT', stop)
      if (lifetime > 0) setTimeout(stop, lifetime * 1000)
      else setInterval(() => {}, 1 << 30)
      return
    }
    case 'ping':
    case 'identify':
    case 'perf': {
      const target = parseTarget(positionals)
      const count = parseNumber('count', o.count, { min: 1, integer: true })
      const intervalMs = parseNumber('interval', o.interval) * 1000
      const chunkSize = parseBytes('chunk-size', o['chunk-size'])
      const upload = command === 'perf' ? parseBytes('upload', o.upload) : 0
      const download = command === 'perf' ? parseBytes('download', o.download) : 0
      const privateKey = await loadOrCreateKey(o['key-type'], o['key-file'], rsaBits)
      node = await createNode({ privateKey, identifyOnConnect: command !== 'identify' })
      await node.start()
      const conn = await node.dial(target, { signal })
      if (command === 'ping') {
        if (o['same-stream']) {
          for (const rtt of await pingSameStream(conn, count, signal)) out(`PING ${rtt.toFixed(3)}`)
        } else {
          for (let i = 0; i < count; i++) {
            if (i > 0 && intervalMs > 0) await new Promise(resolve => setTimeout(resolve, intervalMs))
            // @libp2p/ping opens a new stream per ping; its own RTT is whole ms,
            // so time the call (stream open + multistream-select + echo) here.
            const t = performance.now()
            await node.services.ping.ping(conn.remotePeer, { signal })
            out(`PING ${(performance.now() - t).toFixed(3)}`)
          }
        }
        return finish(0)
      }
      if (command === 'identify') {
        const r = await node.services.identify.identify(conn, { signal })
        out(JSON.stringify({
          peerId: r.peerId.toString(),
          protocolVersion: r.protocolVersion ?? null,
          agentVersion: r.agentVersion ?? null,
          protocols: r.protocols,
          listenAddrs: r.listenAddrs.map(String),
          observedAddr: r.observedAddr?.toString() ?? null,
          publicKeyType: publicKeyType(r.publicKey) ?? null,
          signedPeerRecord: r.signedPeerRecord != null
        }))
        return finish(0)
      }
      const res = await perfClient(conn, { upload, download, chunkSize, signal })
      out(JSON.stringify(res))
      if (res.downloadBytes !== download) return fail(`server sent ${res.downloadBytes} bytes, expected ${download}`)
      return finish(0)
    }
    default:
      throw new UsageError(`unknown command '${command}'`)
  }
}

main().catch((err) => {
  if (err instanceof UsageError) {
    errLine(USAGE)
    fail(err.message, 2)
  } else {
    let msg = err instanceof CliError ? err.message : `${err.name ?? 'Error'}: ${err.message}`
    const inner = err.errors ?? (err.cause != null ? [err.cause] : [])
    for (const e of inner) msg += ` (${e?.name ?? 'Error'}: ${e?.message ?? e})`
    fail(msg)
  }
})
