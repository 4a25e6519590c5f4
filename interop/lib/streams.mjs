// Small helpers over the libp2p 3.x Stream API (event based, async iterable, `send` + `onDrain`).

/** Largest chunk handed to `stream.send` at once. Yamux splits further by its own frame size. */
export const CHUNK_SIZE = 64 * 1024

/**
 * @param {Uint8Array | import('uint8arraylist').Uint8ArrayList} chunk
 * @returns {Uint8Array}
 */
export function toBytes (chunk) {
  return chunk instanceof Uint8Array ? chunk : chunk.subarray()
}

/**
 * Aborts `stream` when `signal` fires. Returns a function that removes the listener.
 *
 * @param {import('@libp2p/interface').Stream} stream
 * @param {AbortSignal} signal
 */
export function abortOnSignal (stream, signal) {
  const onAbort = () => {
    stream.abort(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
  }
  if (signal.aborted) {
    onAbort()
    return () => {}
  }
  signal.addEventListener('abort', onAbort, { once: true })
  return () => signal.removeEventListener('abort', onAbort)
}

/**
 * Sends one buffer, waiting for the stream to drain when its write buffer is full.
 *
 * @param {import('@libp2p/interface').Stream} stream
 * @param {Uint8Array | import('uint8arraylist').Uint8ArrayList} data
 * @param {AbortSignal} [signal]
 */
export async function send (stream, data, signal) {
  if (!stream.send(data)) {
    await stream.onDrain({ signal })
  }
}

/**
 * Sends `bytes` in chunks of at most CHUNK_SIZE with backpressure.
 *
 * @param {import('@libp2p/interface').Stream} stream
 * @param {Uint8Array} bytes
 * @param {AbortSignal} [signal]
 */
export async function sendAll (stream, bytes, signal) {
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_SIZE) {
    await send(stream, bytes.subarray(offset, Math.min(offset + CHUNK_SIZE, bytes.byteLength)), signal)
  }
}

/**
 * Sends `count` bytes taken repeatedly from `pattern` (at most CHUNK_SIZE long) with backpressure.
 *
 * @param {import('@libp2p/interface').Stream} stream
 * @param {number} count
 * @param {Uint8Array} pattern
 * @param {AbortSignal} [signal]
 */
export async function sendRepeated (stream, count, pattern, signal) {
  let remaining = count
  while (remaining > 0) {
    const size = Math.min(remaining, pattern.byteLength)
    await send(stream, pattern.subarray(0, size), signal)
    remaining -= size
  }
}

/**
 * Starts reading `stream` at once and returns an async iterator over its chunks that ends when the
 * remote half-closes (after every buffered chunk was delivered) and throws if the stream is reset
 * or aborted.
 *
 * Why not `for await (const chunk of stream)`: the stream's own iterator listens for the
 * 'remoteCloseWrite' and 'close' events only while it is being iterated, so one started after the
 * remote already half-closed while data was still buffered never ends. This one listens for 'end',
 * checks `readableEnded`, and registers its listeners before the caller awaits anything.
 * Call it synchronously right after obtaining the stream.
 *
 * @param {import('@libp2p/interface').Stream} stream
 * @returns {AsyncIterableIterator<Uint8Array>}
 */
export function readChunks (stream) {
  /** @type {Uint8Array[]} */
  const queue = []
  let ended = stream.readableEnded
  /** @type {Error | undefined} */
  let failure
  /** @type {(() => void) | undefined} */
  let wake

  const notify = () => {
    const resolve = wake
    wake = undefined
    resolve?.()
  }
  const onMessage = (evt) => {
    queue.push(toBytes(evt.data))
    notify()
  }
  const onEnd = () => {
    ended = true
    notify()
  }
  const onClose = (evt) => {
    if (evt.error != null) {
      failure = evt.error
    } else if (stream.readableEnded) {
      ended = true
    }
    notify()
  }
  const detach = () => {
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('end', onEnd)
    stream.removeEventListener('close', onClose)
  }
  stream.addEventListener('message', onMessage)
  stream.addEventListener('end', onEnd)
  stream.addEventListener('close', onClose)

  return {
    async next () {
      while (true) {
        if (queue.length > 0) {
          return { done: false, value: queue.shift() }
        }
        if (failure != null) {
          detach()
          throw failure
        }
        if (ended || stream.readableEnded) {
          detach()
          return { done: true, value: undefined }
        }
        await new Promise((resolve) => { wake = resolve })
      }
    },
    async return () {
      detach()
      queue.length = 0
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator] () {
      return this
    }
  }
}

/**
 * Reads exactly `length` bytes from an async iterator over stream chunks.
 * Returns the bytes and whatever else arrived in the last chunk.
 *
 * @param {AsyncIterator<Uint8Array | import('uint8arraylist').Uint8ArrayList>} iterator
 * @param {number} length
 * @returns {Promise<{ bytes: Uint8Array, rest: Uint8Array }>}
 */
export async function readExactly (iterator, length) {
  const bytes = new Uint8Array(length)
  let filled = 0
  while (filled < length) {
    const { done, value } = await iterator.next()
    if (done === true) {
      throw new Error(`stream ended after ${filled} of ${length} bytes`)
    }
    const chunk = toBytes(value)
    const take = Math.min(chunk.byteLength, length - filled)
    bytes.set(chunk.subarray(0, take), filled)
    filled += take
    if (take < chunk.byteLength) {
      return { bytes, rest: chunk.subarray(take) }
    }
  }
  return { bytes, rest: new Uint8Array(0) }
}

/**
 * Reads and discards until the iterator ends; returns the number of bytes discarded.
 *
 * @param {AsyncIterator<Uint8Array | import('uint8arraylist').Uint8ArrayList>} iterator
 */
export async function drain (iterator) {
  let total = 0
  while (true) {
    const { done, value } = await iterator.next()
    if (done === true) {
      return total
    }
    total += value.byteLength
  }
}

/**
 * Encodes a non-negative safe integer as 8 bytes big-endian.
 *
 * @param {number} value
 */
export function encodeCount (value) {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), false)
  return bytes
}

/**
 * Decodes 8 bytes big-endian; rejects values beyond Number.MAX_SAFE_INTEGER.
 *
 * @param {Uint8Array} bytes
 */
export function decodeCount (bytes) {
  const value = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`count ${value} is too large`)
  }
  return Number(value)
}
