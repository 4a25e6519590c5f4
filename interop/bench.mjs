#!/usr/bin/env node
// js -> js baseline on loopback: connection set-up time and stream throughput between a client
// node in this process and a server node in a child process (peer.mjs), so each side has its own
// event loop as it will when the client is phase-p2p. Prints one JSON object to stdout.

import './polyfill.mjs'
import { spawn } from 'node:child_process'
import { setMaxListeners } from 'node:events'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { log } from './lib/log.mjs'
import { startNode } from './lib/node.mjs'
import { sink, source } from './lib/protocols.mjs'

const READY_TIMEOUT_MS = 30_000
const WARMUP_CONNECTIONS = 5
const MIB = 1024 * 1024

function parseOptions () {
  const { values } = parseArgs({
    options: {
      mb: { type: 'string', default: '64' },
      connections: { type: 'string', default: '50' },
      streams: { type: 'string', default: '1,8' },
      'timeout-ms': { type: 'string', default: '300000' }
    },
    strict: true
  })
  const integer = (name, text, min, max) => {
    const value = Number(text)
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be an integer in [${min}, ${max}]`)
    }
    return value
  }
  return {
    mb: integer('mb', values.mb, 1, 16 * 1024),
    connections: integer('connections', values.connections, 1, 10_000),
    streams: values.streams.split(',').map((s) => integer('streams', s, 1, 64)),
    timeoutMs: integer('timeout-ms', values['timeout-ms'], 1_000, 3_600_000)
  }
}

/** Starts peer.mjs as the server and resolves with its child process and first address. */
function startServer () {
  const child = spawn(process.execPath, [new URL('./peer.mjs', import.meta.url).pathname, '--agent', 'bench-server'], {
    stdio: ['pipe', 'pipe', 'inherit']
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server not ready within ${READY_TIMEOUT_MS} ms`))
    }, READY_TIMEOUT_MS)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before it was ready`))
    })
    const lines = createInterface({ input: child.stdout })
    lines.once('line', (line) => {
      clearTimeout(timer)
      const ready = JSON.parse(line)
      if (ready.event !== 'ready' || ready.addrs.length === 0) {
        child.kill('SIGKILL')
        reject(new Error(`unexpected first line from server: ${line}`))
        return
      }
      resolve({ child, addr: multiaddr(ready.addrs[0]) })
    })
  })
}

function stopServer (child) {
  return new Promise((resolve) => {
    if (child.exitCode != null) {
      resolve()
      return
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.stdin.end()
  })
}

function summarize (samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (x) => Math.round(x * 1000) / 1000
  return {
    count: sorted.length,
    avgMs: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length),
    p50Ms: round(sorted[Math.floor((sorted.length - 1) / 2)]),
    minMs: round(sorted[0]),
    maxMs: round(sorted[sorted.length - 1])
  }
}

/** Dial + Noise + Yamux upgrade time of fresh connections, each closed before the next. */
async function measureSetup (client, addr, count, signal) {
  const samples = []
  for (let i = 0; i < WARMUP_CONNECTIONS + count; i++) {
    const start = performance.now()
    const connection = await client.dial(addr, { signal })
    const elapsed = performance.now() - start
    await connection.close({ signal })
    if (i >= WARMUP_CONNECTIONS) {
      samples.push(elapsed)
    }
  }
  return summarize(samples)
}

async function measureThroughput (client, peer, direction, totalBytes, streams, signal) {
  const run = direction === 'upload' ? sink : source
  const perStream = Math.floor(totalBytes / streams)
  const bytes = perStream * streams
  const ms = await run(client, peer, perStream, streams, signal)
  return {
    direction,
    streams,
    bytes,
    ms: Math.round(ms * 1000) / 1000,
    mibPerSec: Math.round((bytes / MIB) / (ms / 1000) * 100) / 100
  }
}

async function main () {
  const options = parseOptions()
  const signal = AbortSignal.timeout(options.timeoutMs)
  setMaxListeners(Infinity, signal)
  const { child, addr } = await startServer()
  const client = await startNode({ agent: 'bench-client' })
  try {
    log('bench.setup', { connections: options.connections })
    const setup = await measureSetup(client, addr, options.connections, signal)

    const connection = await client.dial(addr, { signal })
    const peer = connection.remotePeer
    // Warm up both directions before measuring.
    await sink(client, peer, 4 * MIB, 1, signal)
    await source(client, peer, 4 * MIB, 1, signal)

    const throughput = []
    for (const streams of options.streams) {
      for (const direction of ['upload', 'download']) {
        log('bench.throughput', { direction, streams, mb: options.mb })
        throughput.push(await measureThroughput(client, peer, direction, options.mb * MIB, streams, signal))
      }
    }

    const libp2pVersion = JSON.parse(readFileSync(new URL('./node_modules/libp2p/package.json', import.meta.url))).version
    process.stdout.write(JSON.stringify({
      implementation: 'js-libp2p',
      libp2p: libp2pVersion,
      node: process.version,
      transport: 'tcp+noise+yamux',
      setup,
      throughput
    }, null, 2) + '\n')
  } finally {
    await client.stop()
    await stopServer(child)
  }
}

main().then(() => process.exit(0), (err) => {
  log('bench.failed', { error: err })
  process.exit(1)
})
