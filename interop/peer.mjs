#!/usr/bin/env node
// A js-libp2p peer for interop tests, scripted over stdin/stdout with one JSON object per line.
// See README.md for the flags and the control protocol. Logs go to stderr.

import './polyfill.mjs'
import { setMaxListeners } from 'node:events'
import { parseArgs } from 'node:util'
import { createCommands } from './lib/commands.mjs'
import { readLines } from './lib/lines.mjs'
import { log } from './lib/log.mjs'
import { DEFAULT_AGENT, DEFAULT_LISTEN, parsePrivateKey, startNode } from './lib/node.mjs'

const MAX_LINE_BYTES = 64 * 1024
const DEFAULT_TIMEOUT_MS = 30_000
const MAX_TIMEOUT_MS = 600_000
const STOP_TIMEOUT_MS = 5_000

const USAGE = `usage: node peer.mjs [--listen MULTIADDR] [--key HEX] [--agent STRING] [--dht]
  --listen  address to listen on (default ${DEFAULT_LISTEN})
  --key     libp2p protobuf PrivateKey, hex, for a stable PeerId (default: a new Ed25519 key)
  --agent   identify agentVersion (default ${DEFAULT_AGENT})
  --dht     run a Kademlia DHT server (/ipfs/kad/1.0.0, loopback addresses kept)`

function parseOptions () {
  const { values } = parseArgs({
    options: {
      listen: { type: 'string' },
      key: { type: 'string' },
      agent: { type: 'string' },
      dht: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false }
    },
    strict: true,
    allowPositionals: false
  })
  if (values.help) {
    process.stdout.write(USAGE + '\n')
    process.exit(0)
  }
  if (values.agent != null && values.agent.length > 1024) {
    throw new Error('--agent must be at most 1024 characters')
  }
  return {
    listen: values.listen,
    agent: values.agent,
    dht: values.dht,
    privateKey: values.key == null ? undefined : parsePrivateKey(values.key)
  }
}

function emit (message) {
  process.stdout.write(JSON.stringify(message) + '\n')
}

function describeError (err) {
  if (err instanceof Error) {
    return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message
  }
  return String(err)
}

async function main () {
  let options
  try {
    options = parseOptions()
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n${USAGE}\n`)
    process.exit(2)
  }

  const node = await startNode(options)
  const commands = createCommands(node)
  let stopping

  const stop = (reason) => {
    stopping ??= (async () => {
      log('peer.stopping', { reason })
      const timer = setTimeout(() => {
        log('peer.stop_timeout', { ms: STOP_TIMEOUT_MS })
        process.exit(1)
      }, STOP_TIMEOUT_MS)
      try {
        await node.stop()
      } finally {
        clearTimeout(timer)
      }
      log('peer.stopped')
    })()
    return stopping
  }

  const handle = async (line) => {
    if (line.trim() === '') {
      return
    }
    let command
    try {
      command = JSON.parse(line)
    } catch (err) {
      emit({ id: null, ok: false, error: `invalid JSON: ${err.message}` })
      return
    }
    if (command == null || typeof command !== 'object' || Array.isArray(command)) {
      emit({ id: null, ok: false, error: 'a command must be a JSON object' })
      return
    }
    const id = command.id ?? null
    const name = command.cmd
    if (name === 'stop') {
      await stop('command')
      emit({ id, ok: true })
      process.exit(0)
    }
    const run = typeof name === 'string' && Object.hasOwn(commands, name) ? commands[name] : undefined
    if (run == null) {
      emit({ id, ok: false, error: `unknown command ${JSON.stringify(name)}` })
      return
    }
    const timeoutMs = command.timeoutMs ?? DEFAULT_TIMEOUT_MS
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      emit({ id, ok: false, error: `"timeoutMs" must be an integer in [1, ${MAX_TIMEOUT_MS}]` })
      return
    }
    const signal = AbortSignal.timeout(timeoutMs)
    setMaxListeners(Infinity, signal)
    const started = performance.now()
    try {
      const result = await run(command, signal)
      emit({ id, ok: true, ...result })
      log('command.done', { id, cmd: name, ms: Math.round(performance.now() - started) })
    } catch (err) {
      const error = signal.aborted ? `timed out after ${timeoutMs} ms: ${describeError(err)}` : describeError(err)
      emit({ id, ok: false, error })
      log('command.failed', { id, cmd: name, error })
    }
  }

  process.on('SIGTERM', () => { stop('SIGTERM').then(() => process.exit(0), () => process.exit(1)) })
  process.on('SIGINT', () => { stop('SIGINT').then(() => process.exit(0), () => process.exit(1)) })

  emit({
    event: 'ready',
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map(String)
  })
  log('peer.ready', { peer: node.peerId.toString(), dht: options.dht })

  await readLines(process.stdin, MAX_LINE_BYTES, (line) => { handle(line) }, () => {
    emit({ id: null, ok: false, error: `command line longer than ${MAX_LINE_BYTES} bytes` })
  })
  await stop('stdin closed')
  process.exit(0)
}

// The test harness went away: nobody reads our answers any more.
process.stdout.on('error', (err) => {
  log('peer.stdout_failed', { error: err })
  process.exit(1)
})

process.on('unhandledRejection', (err) => {
  log('peer.unhandled_rejection', { error: describeError(err) })
})

main().catch((err) => {
  log('peer.failed', { error: describeError(err) })
  process.exit(1)
})
