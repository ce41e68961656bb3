// Shared helpers for peer.mjs and bench.mjs: node construction, identities,
// a byte reader over libp2p 3.x message streams, and the perf protocol.
import { readFile, writeFile, access } from 'node:fs/promises'
import { quic } from '@chainsafe/libp2p-quic'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { createLibp2p } from 'libp2p'
import { Uint8ArrayList } from 'uint8arraylist'

export const PERF_PROTOCOL = '/perf/1.0.0'
export const PING_PROTOCOL = '/ipfs/ping/1.0.0'
export const KEY_TYPES = { ed25519: 'Ed25519', secp256k1: 'secp256k1', rsa: 'RSA' }

/** A failure the CLI reports as one line and exit code 1. */
export class CliError extends Error {}

/**
 * Loads the identity from `keyFile` if it exists (the libp2p protobuf
 * PrivateKey encoding, raw bytes; base64 or hex text also accepted), else
 * generates one of `keyType` and, if `keyFile` is given, writes it there
 * (raw protobuf, mode 0600).
 */
export async function loadOrCreateKey (keyType = 'ed25519', keyFile, rsaBits = 2048) {
  const type = KEY_TYPES[String(keyType).toLowerCase()]
  if (type == null) {
    throw new CliError(`unsupported --key-type '${keyType}' (expected ed25519, secp256k1 or rsa; the js peer cannot have an ECDSA identity)`)
  }
  if (keyFile != null) {
    let exists = true
    try { await access(keyFile) } catch { exists = false }
    if (exists) {
      const raw = await readFile(keyFile)
      return decodeKeyFile(raw, keyFile)
    }
  }
  const key = type === 'RSA' ? await generateKeyPair('RSA', rsaBits) : await generateKeyPair(type)
  if (keyFile != null) {
    await writeFile(keyFile, privateKeyToProtobuf(key), { mode: 0o600 })
  }
  return key
}

function decodeKeyFile (raw, keyFile) {
  const attempts = [raw]
  const text = raw.toString('latin1').trim()
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) attempts.push(Buffer.from(text, 'hex'))
  if (/^[A-Za-z0-9+/=_-]+$/.test(text)) attempts.push(Buffer.from(text, 'base64'))
  let lastErr
  for (const buf of attempts) {
    try {
      const key = privateKeyFromProtobuf(new Uint8Array(buf))
      if (key.type === 'ECDSA') throw new CliError(`${keyFile}: ECDSA identities are not supported by @chainsafe/libp2p-quic`)
      return key
    } catch (err) {
      if (err instanceof CliError) throw err
      lastErr = err
    }
  }
  throw new CliError(`${keyFile}: not a libp2p protobuf private key (${lastErr?.message ?? 'unknown format'})`)
}

export function publicKeyType (publicKeyProtobuf) {
  if (publicKeyProtobuf == null) return undefined
  try { return publicKeyFromProtobuf(publicKeyProtobuf).type } catch { return 'unknown' }
}

/**
 * Creates and starts a libp2p node with QUIC (quic-v1) as its only transport,
 * identify and ping.
 */
export async function createNode ({ privateKey, listen = [], identifyOnConnect = true, loopbackUnlimited = true, connectionMonitor = true }) {
  const connectionManager = {}
  if (loopbackUnlimited) {
    // js-libp2p refuses inbound connections beyond 5/s per host and 10
    // pending; a test peer on loopback must not, so loopback bypasses them.
    // It also prunes connections beyond 300 (maxConnections).
    connectionManager.allow = ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128']
    connectionManager.maxConnections = 100_000
  }
  return await createLibp2p({
    start: false,
    privateKey,
    addresses: { listen },
    transports: [quic()],
    connectionManager,
    connectionMonitor: { enabled: connectionMonitor },
    services: {
      identify: identify({ runOnConnectionOpen: identifyOnConnect }),
      // @libp2p/ping allows one outbound ping stream at a time and counts a
      // stream until both ends have closed, which takes the peer's FIN (a
      // round trip, longer under ASan); back-to-back pings (`ping --count N`)
      // then fail with TooManyOutboundProtocolStreamsError. Seen once in CI
      // against our listener under ASan; allow a few in flight.
      ping: ping({ maxOutboundStreams: 4 })
    }
  })
}

/**
 * Reads bytes from a libp2p 3.x stream. Attach it right after the stream is
 * opened or accepted: the QUIC stream keeps reading from the network and
 * buffers (then resets the stream beyond 4 MB) when nobody listens.
 */
export class StreamReader {
  constructor (stream, { keep = true } = {}) {
    this.stream = stream
    this.keep = keep
    this.buf = new Uint8ArrayList()
    this.total = 0
    this.ended = false
    this.error = null
    this.firstByteAt = null
    this.waiters = []
    stream.addEventListener('message', (evt) => {
      if (this.firstByteAt == null) this.firstByteAt = performance.now()
      this.total += evt.data.byteLength
      if (this.keep) this.buf.append(evt.data)
      this.#wake()
    })
    stream.addEventListener('end', () => { this.ended = true; this.#wake() })
    stream.addEventListener('close', (evt) => {
      if (evt.error != null) this.error = evt.error
      this.ended = true
      this.#wake()
    })
    if (stream.readableEnded) this.ended = true
  }

  #wake () {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  #wait (signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(signal.reason); return }
      const onAbort = () => reject(signal.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(() => { signal?.removeEventListener('abort', onAbort); resolve() })
    })
  }

  /** Exactly n bytes; throws if the stream ends first. */
  async readExactly (n, signal) {
    while (this.buf.byteLength < n) {
      if (this.error != null) throw this.error
      if (this.ended) throw new Error(`stream ended after ${this.buf.byteLength} of ${n} expected bytes`)
      await this.#wait(signal)
    }
    const out = this.buf.subarray(0, n)
    this.buf.consume(n)
    return out
  }

  /** Waits for the remote's end of stream (FIN); stops keeping bytes. Returns total bytes received. */
  async readToEnd (signal) {
    this.keep = false
    this.buf = new Uint8ArrayList()
    while (!this.ended) await this.#wait(signal)
    if (this.error != null) throw this.error
    return this.total
  }
}

/** Writes `count` bytes (zeros) in `chunkSize` pieces, honouring backpressure. */
export async function writeBytes (stream, count, chunkSize, signal) {
  const chunk = new Uint8Array(Math.max(1, Math.min(chunkSize, count || 1)))
  let left = count
  while (left > 0) {
    const n = Math.min(left, chunk.byteLength)
    const ok = stream.send(n === chunk.byteLength ? chunk : chunk.subarray(0, n))
    left -= n
    if (!ok) await stream.onDrain({ signal })
  }
}

function u64be (n) {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n), false)
  return b
}

/**
 * The /perf/1.0.0 server (libp2p perf spec): read an 8-byte big-endian u64 N,
 * read and discard until the client closes its write side, then send N bytes
 * and close.
 */
export function perfHandler ({ chunkSize = 65536, log = () => {} } = {}) {
  return async (stream, connection) => {
    const reader = new StreamReader(stream)
    try {
      const header = await reader.readExactly(8)
      const toSend = new DataView(header.buffer, header.byteOffset, 8).getBigUint64(0, false)
      if (toSend > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`requested ${toSend} bytes`)
      const total = await reader.readToEnd()
      await writeBytes(stream, Number(toSend), chunkSize)
      await stream.close()
      log(`perf from ${connection.remotePeer}: received ${total - 8} bytes, sent ${toSend}`)
    } catch (err) {
      log(`perf from ${connection.remotePeer} failed: ${err.message}`)
      stream.abort(err)
    }
  }
}

/**
 * The /perf/1.0.0 client over an open connection. Returns byte counts and
 * timings; upload time = stream open -> first downloaded byte (or the end when
 * nothing is downloaded), download time = first byte -> end of stream.
 */
export async function perfClient (connection, { upload, download, chunkSize = 65536, signal }) {
  const tOpen = performance.now()
  const stream = await connection.newStream(PERF_PROTOCOL, { signal })
  const reader = new StreamReader(stream, { keep: false })
  const t0 = performance.now()
  if (!stream.send(u64be(download))) await stream.onDrain({ signal })
  await writeBytes(stream, upload, chunkSize, signal)
  await stream.close({ signal })
  const tUploadWritten = performance.now()
  const received = await reader.readToEnd(signal)
  const tEnd = performance.now()
  const tFirst = reader.firstByteAt ?? tEnd
  const s = (ms) => ms / 1000
  const res = {
    uploadBytes: upload,
    downloadBytes: received,
    expectedDownloadBytes: download,
    seconds: s(tEnd - t0),
    streamOpenSeconds: s(t0 - tOpen),
    uploadWrittenSeconds: s(tUploadWritten - t0),
    uploadSeconds: s(tFirst - t0),
    downloadSeconds: s(tEnd - tFirst)
  }
  res.uploadMBps = upload > 0 ? upload / 1e6 / res.uploadSeconds : null
  res.downloadMBps = received > 0 && res.downloadSeconds > 0 ? received / 1e6 / res.downloadSeconds : null
  res.uploadBps = res.uploadMBps == null ? null : res.uploadMBps * 8e6
  res.downloadBps = res.downloadMBps == null ? null : res.downloadMBps * 8e6
  return res
}

/** Pings over one stream, `count` times, 32 random bytes each; returns RTTs in ms. */
export async function pingSameStream (connection, count, signal) {
  const stream = await connection.newStream(PING_PROTOCOL, { signal })
  const reader = new StreamReader(stream)
  const rtts = []
  for (let i = 0; i < count; i++) {
    const data = crypto.getRandomValues(new Uint8Array(32))
    const t = performance.now()
    stream.send(data)
    const echo = await reader.readExactly(32, signal)
    rtts.push(performance.now() - t)
    if (Buffer.compare(Buffer.from(echo), Buffer.from(data)) !== 0) throw new Error('ping echo differs from what was sent')
  }
  await stream.close({ signal })
  return rtts
}
