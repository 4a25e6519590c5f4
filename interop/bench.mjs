#!/usr/bin/env node
// js -> js baseline on loopback: connection set-up time and stream throughput between a client
// node in this process and a server node in a child process (peer.mjs), so each side has its own
// event loop as it will when the client is phase-p2p. Prints one JSON object to stdout.
// With --target MULTIADDR it measures against that server instead (e.g. phase-p2p's P2pBench
// server) and reports no server CPU time.

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
const MIB = 1024 * 1024

function parseOptions () {
  const { values } = parseArgs({
    options: {
      mb: { type: 'string', default: '64' },
      'warmup-mb': { type: 'string', default: '0' },
      connections: { type: 'string', default: '50' },
      'warmup-connections': { type: 'string', default: '5' },
      streams: { type: 'string', default: '1,8' },
      reps: { type: 'string', default: '1' },
      target: { type: 'string' },
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
    warmupMb: integer('warmup-mb', values['warmup-mb'], 0, 16 * 1024),
    connections: integer('connections', values.connections, 1, 10_000),
    warmupConnections: integer('warmup-connections', values['warmup-connections'], 0, 100_000),
    streams: values.streams.split(',').map((s) => integer('streams', s, 1, 64)),
    reps: integer('reps', values.reps, 1, 100),
    target: values.target,
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

/** CPU time (user + system) of this process in milliseconds. */
function ownCpuMs () {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/**
 * CPU time of process `pid` in milliseconds from /proc (Linux; clock ticks assumed 100 Hz), or
 * NaN if unknown.
 */
function processCpuMs (pid) {
  if (pid == null) {
    return NaN
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return NaN
  }
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

function summarize (samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (x) => Math.round(x * 1000) / 1000
  return {
    count: sorted.length,
    avgMs: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length),
    p50Ms: round(sorted[Math.floor((sorted.length - 1) / 2)]),
    p90Ms: round(sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)]),
    minMs: round(sorted[0]),
    maxMs: round(sorted[sorted.length - 1])
  }
}

/** Dial + Noise + Yamux upgrade time of fresh connections, each closed before the next. */
async function measureSetup (client, addr, count, warmup, signal, serverPid) {
  const samples = []
  let started = 0
  let cpuStart = 0
  let serverCpuStart = 0
  for (let i = 0; i < warmup + count; i++) {
    if (i === warmup) {
      started = performance.now()
      cpuStart = ownCpuMs()
      serverCpuStart = processCpuMs(serverPid)
    }
    const start = performance.now()
    const connection = await client.dial(addr, { signal })
    const elapsed = performance.now() - start
    await connection.close({ signal })
    if (i >= warmup) {
      samples.push(elapsed)
    }
  }
  const totalMs = performance.now() - started
  const round = (x) => Math.round(x * 1000) / 1000
  return {
    ...summarize(samples),
    totalMs: round(totalMs),
    sequentialPerSec: round(count / (totalMs / 1000)),
    clientCpuMsPerConn: round((ownCpuMs() - cpuStart) / count),
    serverCpuMsPerConn: round((processCpuMs(serverPid) - serverCpuStart) / count)
  }
}

async function measureThroughput (client, peer, direction, totalBytes, warmupBytes, streams, reps, signal, serverPid) {
  const run = direction === 'upload' ? sink : source
  const perStream = Math.floor(totalBytes / streams)
  const bytes = perStream * streams
  const warmupPerStream = Math.floor(warmupBytes / streams)
  if (warmupPerStream > 0) {
    await run(client, peer, warmupPerStream, streams, signal)
  }
  const runs = []
  for (let i = 0; i < reps; i++) {
    const cpu0 = ownCpuMs()
    const serverCpu0 = processCpuMs(serverPid)
    const ms = await run(client, peer, perStream, streams, signal)
    const clientCpuMs = ownCpuMs() - cpu0
    const serverCpuMs = processCpuMs(serverPid) - serverCpu0
    runs.push({ ms, clientCpuMs, serverCpuMs })
    log('bench.run', { direction, streams, rep: i + 1, ms: Math.round(ms), clientCpuMs: Math.round(clientCpuMs), serverCpuMs: Math.round(serverCpuMs) })
  }
  const mib = bytes / MIB
  const round2 = (x) => Math.round(x * 100) / 100
  const ms = median(runs.map((r) => r.ms))
  return {
    direction,
    streams,
    bytes,
    reps,
    ms: Math.round(ms * 1000) / 1000,
    mibPerSec: round2(median(runs.map((r) => mib / (r.ms / 1000)))),
    clientCpuMs: Math.round(median(runs.map((r) => r.clientCpuMs))),
    serverCpuMs: Math.round(median(runs.map((r) => r.serverCpuMs))),
    mibPerCpuSec: round2(median(runs.map((r) => mib / ((r.clientCpuMs + r.serverCpuMs) / 1000)))),
    cpuBoundMibPerSec: round2(median(runs.map((r) => mib / (Math.max(r.clientCpuMs, r.serverCpuMs) / 1000))))
  }
}

async function main () {
  const options = parseOptions()
  const signal = AbortSignal.timeout(options.timeoutMs)
  setMaxListeners(Infinity, signal)
  const { child, addr } = options.target != null
    ? { child: null, addr: multiaddr(options.target) }
    : await startServer()
  const serverPid = child?.pid
  const client = await startNode({ agent: 'bench-client' })
  try {
    log('bench.setup', { connections: options.connections })
    const setup = await measureSetup(client, addr, options.connections, options.warmupConnections, signal, serverPid)

    const connection = await client.dial(addr, { signal })
    const peer = connection.remotePeer
    // Warm up both directions before measuring.
    await sink(client, peer, 4 * MIB, 1, signal)
    await source(client, peer, 4 * MIB, 1, signal)

    const throughput = []
    for (const streams of options.streams) {
      for (const direction of ['upload', 'download']) {
        log('bench.throughput', { direction, streams, mb: options.mb })
        throughput.push(await measureThroughput(client, peer, direction, options.mb * MIB, options.warmupMb * MIB, streams, options.reps, signal, serverPid))
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
    if (child != null) {
      await stopServer(child)
    }
  }
}

main().then(() => process.exit(0), (err) => {
  log('bench.failed', { error: err })
  process.exit(1)
})
