// The control commands a test sends to peer.mjs, one JSON object per line.

import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { echo, ECHO_PROTOCOL, handleEcho, MAX_SOURCE_BYTES, sink, SINK_PROTOCOL, source, SOURCE_PROTOCOL } from './protocols.mjs'

/** Largest payload per echo stream: the echo client holds it twice in memory. */
export const MAX_ECHO_BYTES = 64 * 1024 * 1024
/** Most concurrent streams one echo, sink or source command may open. */
export const MAX_COMMAND_STREAMS = 128
/** Most pings in one ping command. */
export const MAX_PINGS = 1000

/** Most providers or peers one DHT command collects. */
export const MAX_DHT_RESULTS = 256

/** A command failure caused by the request itself rather than by the network. */
export class BadRequestError extends Error {
  constructor (message) {
    super(message)
    this.name = 'BadRequestError'
  }
}

function requireString (command, field) {
  const value = command[field]
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
    throw new BadRequestError(`"${field}" must be a non-empty string of at most 4096 characters`)
  }
  return value
}

function requireInteger (command, field, min, max, fallback) {
  const value = command[field] ?? fallback
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new BadRequestError(`"${field}" must be an integer in [${min}, ${max}]`)
  }
  return value
}

function parsePeer (text) {
  try {
    return peerIdFromString(text)
  } catch (err) {
    throw new BadRequestError(`invalid peer id "${text}": ${err.message}`)
  }
}

function parseAddr (text) {
  try {
    return multiaddr(text)
  } catch (err) {
    throw new BadRequestError(`invalid multiaddr "${text}": ${err.message}`)
  }
}

const FIXED_PROTOCOLS = new Set([ECHO_PROTOCOL, SINK_PROTOCOL, SOURCE_PROTOCOL])

/** A `protocol` that `handle`/`unhandle` may change: under /phase/, not one of the fixed ones. */
function extraProtocol (command) {
  const protocol = requireString(command, 'protocol')
  if (!protocol.startsWith('/phase/') || FIXED_PROTOCOLS.has(protocol) || /\s/.test(protocol)) {
    throw new BadRequestError(`"protocol" must start with /phase/, contain no whitespace and not be one of ${[...FIXED_PROTOCOLS].join(', ')}`)
  }
  return protocol
}

/** `addr` (a multiaddr, dialled if needed) or `peer` (a peer id, must be known). */
function target (command) {
  if (command.addr != null) {
    return parseAddr(requireString(command, 'addr'))
  }
  if (command.peer != null) {
    return parsePeer(requireString(command, 'peer'))
  }
  throw new BadRequestError('either "addr" or "peer" is required')
}

function connectionTo (node, peerId) {
  const connection = node.getConnections(peerId).find((c) => c.status === 'open')
  if (connection == null) {
    throw new BadRequestError(`no open connection to ${peerId}`)
  }
  return connection
}

function describeIdentify (result, source) {
  return {
    peer: result.peerId.toString(),
    source,
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    protocols: [...result.protocols].sort(),
    listenAddrs: result.listenAddrs.map(String),
    observedAddr: result.observedAddr?.toString() ?? null
  }
}

function requireHex (command, field, maxBytes) {
  const value = requireString(command, field)
  if (!/^([0-9a-fA-F]{2})+$/.test(value) || value.length > maxBytes * 2) {
    throw new BadRequestError(`"${field}" must be hex of at most ${maxBytes} bytes`)
  }
  return Uint8Array.from(Buffer.from(value, 'hex'))
}

/** A provider key: a multihash given in hex, read as a CID (v0 for sha2-256) as kad-dht wants. */
function requireCid (command) {
  const bytes = requireHex(command, 'key', 256)
  try {
    return CID.decode(bytes)
  } catch (err) {
    throw new BadRequestError(`"key" is not a CID or multihash: ${err.message}`)
  }
}

function requireDht (node) {
  if (node.services.dht == null) {
    throw new BadRequestError('this peer runs no DHT (start it with --dht)')
  }
  return node.services.dht
}

function describePeerInfo (info) {
  return { peer: info.id.toString(), addrs: (info.multiaddrs ?? []).map(String) }
}

/**
 * Creates the command table for one node.
 *
 * @param {import('libp2p').Libp2p} node
 */
export function createCommands (node) {
  /** Automatic identify results by connection id; the entry goes when the connection closes. */
  const identified = new Map()
  node.addEventListener('peer:identify', (evt) => {
    identified.set(evt.detail.connection.id, evt.detail)
  })
  node.addEventListener('connection:close', (evt) => {
    identified.delete(evt.detail.id)
  })

  async function transfer (command, signal, run, maxBytes) {
    const bytes = requireInteger(command, 'bytes', 0, maxBytes)
    const streams = requireInteger(command, 'streams', 1, MAX_COMMAND_STREAMS, 1)
    const ms = await run(node, target(command), bytes, streams, signal)
    return { ms, bytes, streams }
  }

  return {
    async dial (command, signal) {
      const connection = await node.dial(parseAddr(requireString(command, 'addr')), { signal })
      return {
        peer: connection.remotePeer.toString(),
        remoteAddr: connection.remoteAddr.toString()
      }
    },

    async hangup (command, signal) {
      await node.hangUp(parsePeer(requireString(command, 'peer')), { signal })
      return {}
    },

    async ping (command, signal) {
      const to = target(command)
      const count = requireInteger(command, 'count', 1, MAX_PINGS, 1)
      const rtts = []
      for (let i = 0; i < count; i++) {
        rtts.push(await node.services.ping.ping(to, { signal }))
      }
      return { rtts }
    },

    async identify (command, signal) {
      const connection = connectionTo(node, parsePeer(requireString(command, 'peer')))
      const automatic = identified.get(connection.id)
      if (automatic != null && command.fresh !== true) {
        return describeIdentify(automatic, 'automatic')
      }
      const result = await node.services.identify.identify(connection, { signal })
      return describeIdentify(result, 'explicit')
    },

    async echo (command, signal) {
      return transfer(command, signal, echo, MAX_ECHO_BYTES)
    },

    async sink (command, signal) {
      return transfer(command, signal, sink, MAX_SOURCE_BYTES)
    },

    async source (command, signal) {
      return transfer(command, signal, source, MAX_SOURCE_BYTES)
    },

    async handle (command) {
      const protocol = extraProtocol(command)
      if (node.getProtocols().includes(protocol)) {
        throw new BadRequestError(`${protocol} is already served`)
      }
      await handleEcho(node, protocol)
      return { protocols: node.getProtocols().sort() }
    },

    async unhandle (command) {
      const protocol = extraProtocol(command)
      if (!node.getProtocols().includes(protocol)) {
        throw new BadRequestError(`${protocol} is not served`)
      }
      await node.unhandle(protocol)
      return { protocols: node.getProtocols().sort() }
    },

    async peers () {
      const peers = new Map()
      for (const connection of node.getConnections()) {
        const id = connection.remotePeer.toString()
        const entry = peers.get(id) ?? { peer: id, addrs: [] }
        entry.addrs.push(connection.remoteAddr.toString())
        peers.set(id, entry)
      }
      return { peers: [...peers.values()] }
    },

    async dhtProvide (command, signal) {
      const dht = requireDht(node)
      const cid = requireCid(command)
      let responses = 0
      for await (const event of dht.provide(cid, { signal })) {
        if (event.name === 'PEER_RESPONSE') {
          responses++
        }
      }
      return { responses }
    },

    async dhtFindProviders (command, signal) {
      const dht = requireDht(node)
      const cid = requireCid(command)
      const count = requireInteger(command, 'count', 1, MAX_DHT_RESULTS, 20)
      const providers = new Map()
      for await (const event of dht.findProviders(cid, { signal })) {
        if (event.name === 'PROVIDER') {
          for (const p of event.providers) {
            providers.set(p.id.toString(), describePeerInfo(p))
          }
          if (providers.size >= count) {
            break
          }
        }
      }
      return { providers: [...providers.values()] }
    },

    async dhtFindPeer (command, signal) {
      const dht = requireDht(node)
      const peerId = parsePeer(requireString(command, 'peer'))
      let hops = 0
      for await (const event of dht.findPeer(peerId, { signal })) {
        if (event.name === 'PEER_RESPONSE') {
          hops++
        }
        if (event.name === 'FINAL_PEER') {
          return { found: true, ...describePeerInfo(event.peer), responses: hops }
        }
      }
      return { found: false, responses: hops }
    },

    async dhtClosestPeers (command, signal) {
      const dht = requireDht(node)
      const key = requireHex(command, 'key', 256)
      const peers = new Map()
      for await (const event of dht.getClosestPeers(key, { signal })) {
        if (event.name === 'FINAL_PEER') {
          peers.set(event.peer.id.toString(), describePeerInfo(event.peer))
          if (peers.size >= MAX_DHT_RESULTS) {
            break
          }
        }
      }
      return { peers: [...peers.values()] }
    },

    async dhtRoutingTable () {
      const dht = requireDht(node)
      const peers = []
      for (const p of dht.routingTable.kb.toIterable()) {
        peers.push(p.peerId.toString())
      }
      return { peers: peers.sort() }
    },

    async protocols (command) {
      const peerId = parsePeer(requireString(command, 'peer'))
      let peer
      try {
        peer = await node.peerStore.get(peerId)
      } catch (err) {
        if (err.name === 'NotFoundError') {
          throw new BadRequestError(`peer ${peerId} is not in the peer store`)
        }
        throw err
      }
      return { peer: peerId.toString(), protocols: [...peer.protocols].sort() }
    }
  }
}
