// The test and benchmark protocols every interop peer serves, and their client sides.
//
//   /phase/echo/1.0.0    echoes bytes until the remote half-closes, then half-closes.
//   /phase/sink/1.0.0    discards bytes until the remote half-closes, then writes the byte count
//                        as 8 bytes big-endian and closes.
//   /phase/source/1.0.0  reads an 8-byte big-endian count N, writes N bytes and closes.

import { randomBytes } from 'node:crypto'
import { log } from './log.mjs'
import {
  CHUNK_SIZE, abortOnSignal, decodeCount, drain, encodeCount, readChunks, readExactly, send,
  sendAll, sendRepeated
} from './streams.mjs'

export const ECHO_PROTOCOL = '/phase/echo/1.0.0'
export const SINK_PROTOCOL = '/phase/sink/1.0.0'
export const SOURCE_PROTOCOL = '/phase/source/1.0.0'

/** Most bytes one /phase/source/1.0.0 request may ask for. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024 * 1024
/** Most concurrent streams per protocol and connection, in either direction. */
export const MAX_STREAMS = 256

const PATTERN = randomBytes(CHUNK_SIZE)

async function serveEcho (stream) {
  for await (const chunk of readChunks(stream)) {
    await send(stream, chunk)
  }
  await stream.close()
}

async function serveSink (stream) {
  const total = await drain(readChunks(stream))
  await send(stream, encodeCount(total))
  await stream.close()
}

async function serveSource (stream) {
  const iterator = readChunks(stream)
  const { bytes } = await readExactly(iterator, 8)
  const count = decodeCount(bytes)
  if (count > MAX_SOURCE_BYTES) {
    throw new Error(`source request of ${count} bytes exceeds ${MAX_SOURCE_BYTES}`)
  }
  // Anything the client sends after the count is read and dropped.
  drain(iterator).catch(() => {})
  await sendRepeated(stream, count, PATTERN)
  await stream.close()
}

function guarded (name, serve) {
  return async (stream, connection) => {
    try {
      await serve(stream)
    } catch (err) {
      log('stream.error', { protocol: name, peer: connection.remotePeer.toString(), error: err })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }
}

/**
 * Registers the echo, sink and source handlers on a started or starting node.
 *
 * @param {import('libp2p').Libp2p} node
 */
export async function registerTestProtocols (node) {
  const options = { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS }
  await node.handle(ECHO_PROTOCOL, guarded(ECHO_PROTOCOL, serveEcho), options)
  await node.handle(SINK_PROTOCOL, guarded(SINK_PROTOCOL, serveSink), options)
  await node.handle(SOURCE_PROTOCOL, guarded(SOURCE_PROTOCOL, serveSource), options)
}

/**
 * Serves `protocol` with the echo behaviour (for tests that change the protocol list at run time).
 *
 * @param {import('libp2p').Libp2p} node
 * @param {string} protocol
 */
export async function handleEcho (node, protocol) {
  const options = { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS }
  await node.handle(protocol, guarded(protocol, serveEcho), options)
}

/**
 * Opens a stream, runs `body` on it and aborts the stream if `body` fails or `signal` fires.
 */
async function withStream (node, target, protocol, signal, body) {
  const stream = await node.dialProtocol(target, protocol, { signal })
  const chunks = readChunks(stream)
  const dispose = abortOnSignal(stream, signal)
  try {
    return await body(stream, chunks)
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  } finally {
    dispose()
  }
}

async function echoOnce (node, target, bytes, signal) {
  const payload = randomBytes(bytes)
  return withStream(node, target, ECHO_PROTOCOL, signal, async (stream, chunks) => {
    const received = new Uint8Array(bytes)
    let filled = 0
    const reader = (async () => {
      for await (const data of chunks) {
        if (filled + data.byteLength > bytes) {
          throw new Error(`echo returned more than the ${bytes} bytes sent`)
        }
        received.set(data, filled)
        filled += data.byteLength
      }
    })()
    const writer = (async () => {
      await sendAll(stream, payload, signal)
      await stream.close({ signal })
    })()
    await Promise.all([reader, writer])
    if (filled !== bytes) {
      throw new Error(`echo returned ${filled} of ${bytes} bytes`)
    }
    if (!payload.equals(received)) {
      throw new Error('echo returned different bytes')
    }
  })
}

async function sinkOnce (node, target, bytes, signal) {
  return withStream(node, target, SINK_PROTOCOL, signal, async (stream, iterator) => {
    await sendRepeated(stream, bytes, PATTERN, signal)
    await stream.close({ signal })
    const { bytes: countBytes, rest } = await readExactly(iterator, 8)
    const extra = rest.byteLength + await drain(iterator)
    const count = decodeCount(countBytes)
    if (count !== bytes || extra !== 0) {
      throw new Error(`sink counted ${count} of ${bytes} bytes and sent ${extra} unexpected bytes`)
    }
  })
}

async function sourceOnce (node, target, bytes, signal) {
  return withStream(node, target, SOURCE_PROTOCOL, signal, async (stream, chunks) => {
    await send(stream, encodeCount(bytes), signal)
    await stream.close({ signal })
    let total = 0
    for await (const chunk of chunks) {
      total += chunk.byteLength
      if (total > bytes) {
        throw new Error(`source sent more than the ${bytes} bytes requested`)
      }
    }
    if (total !== bytes) {
      throw new Error(`source sent ${total} of ${bytes} bytes`)
    }
  })
}

async function timed (streams, once) {
  const start = performance.now()
  await Promise.all(Array.from({ length: streams }, () => once()))
  return performance.now() - start
}

/**
 * Opens `streams` concurrent echo streams, each sending `bytes` random bytes and checking the
 * echo is identical. Returns the wall time in milliseconds.
 */
export async function echo (node, target, bytes, streams, signal) {
  return timed(streams, () => echoOnce(node, target, bytes, signal))
}

/**
 * Sends `bytes` to the remote sink on each of `streams` concurrent streams and checks the count it
 * reports. Returns the wall time in milliseconds.
 */
export async function sink (node, target, bytes, streams, signal) {
  return timed(streams, () => sinkOnce(node, target, bytes, signal))
}

/**
 * Asks the remote source for `bytes` on each of `streams` concurrent streams and checks the amount
 * received. Returns the wall time in milliseconds.
 */
export async function source (node, target, bytes, streams, signal) {
  return timed(streams, () => sourceOnce(node, target, bytes, signal))
}
