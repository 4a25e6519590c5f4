// Splits a byte stream into bounded text lines.

/**
 * Calls `onLine(line)` for each complete line of `input` and `onOversized()` for each line longer
 * than `maxLength` bytes (which is dropped), then resolves when `input` ends.
 *
 * @param {NodeJS.ReadableStream} input
 * @param {number} maxLength
 * @param {(line: string) => void} onLine
 * @param {() => void} onOversized
 */
export function readLines (input, maxLength, onLine, onOversized) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    let pending = []
    let pendingLength = 0
    let discarding = false

    const append = (part) => {
      if (discarding) {
        return
      }
      if (pendingLength + part.length > maxLength) {
        pending = []
        pendingLength = 0
        discarding = true
        onOversized()
        return
      }
      pending.push(part)
      pendingLength += part.length
    }

    input.on('data', (chunk) => {
      let start = 0
      while (start < chunk.length) {
        const newline = chunk.indexOf(0x0a, start)
        if (newline === -1) {
          append(chunk.subarray(start))
          return
        }
        append(chunk.subarray(start, newline))
        if (!discarding) {
          onLine(Buffer.concat(pending, pendingLength).toString('utf8').replace(/\r$/, ''))
        }
        pending = []
        pendingLength = 0
        discarding = false
        start = newline + 1
      }
    })
    input.on('end', () => {
      if (!discarding && pendingLength > 0) {
        onLine(Buffer.concat(pending, pendingLength).toString('utf8'))
      }
      resolve()
    })
    input.on('error', reject)
  })
}
