// Structured stderr logging: `event key=value ...`. stdout belongs to the control protocol.

function formatValue (value) {
  const text = value instanceof Error ? (value.message || value.name) : String(value)
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text
}

/**
 * Writes one log line to stderr.
 *
 * @param {string} event
 * @param {Record<string, unknown>} [fields]
 */
export function log (event, fields = {}) {
  const parts = [event]
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) {
      parts.push(`${key}=${formatValue(value)}`)
    }
  }
  process.stderr.write(parts.join(' ') + '\n')
}
