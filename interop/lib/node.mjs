// Builds the js-libp2p node the interop tests and benchmarks talk to:
// TCP + Noise + Yamux, identify, identify push, ping, the /phase test protocols and, on request, a Kademlia DHT
// server.

import '../polyfill.mjs'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { identify, identifyPush } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { registerTestProtocols } from './protocols.mjs'

export const DEFAULT_LISTEN = '/ip4/127.0.0.1/tcp/0'
export const DEFAULT_AGENT = 'phase-interop/js-libp2p'
export const DHT_PROTOCOL = '/ipfs/kad/1.0.0'

/**
 * Parses a hex-encoded libp2p protobuf PrivateKey (as `privateKeyToProtobuf` writes it).
 *
 * @param {string} hex
 */
export function parsePrivateKey (hex) {
  if (!/^([0-9a-fA-F]{2}){1,8192}$/.test(hex)) {
    throw new Error('--key must be an even number of hex digits (at most 16384)')
  }
  return privateKeyFromProtobuf(Uint8Array.from(Buffer.from(hex, 'hex')))
}

/**
 * Creates and starts a node.
 *
 * @param {object} options
 * @param {string} [options.listen] multiaddr to listen on
 * @param {import('@libp2p/interface').PrivateKey} [options.privateKey] fixed identity
 * @param {string} [options.agent] identify agentVersion
 * @param {boolean} [options.dht] run @libp2p/kad-dht in server mode
 */
export async function startNode (options = {}) {
  const services = {
    identify: identify({ timeout: 10_000 }),
    identifyPush: identifyPush({ timeout: 10_000 }),
    ping: ping({ timeout: 10_000 })
  }
  if (options.dht === true) {
    services.dht = kadDHT({
      clientMode: false,
      protocol: DHT_PROTOCOL,
      // Tests run on loopback: keep private and loopback addresses of DHT peers.
      peerInfoMapper: passthroughMapper
    })
  }
  const node = await createLibp2p({
    privateKey: options.privateKey,
    nodeInfo: { userAgent: options.agent ?? DEFAULT_AGENT },
    addresses: { listen: [options.listen ?? DEFAULT_LISTEN] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      // Tests and benchmarks open many connections from loopback in quick succession; exempt
      // loopback from the per-host inbound rate limit.
      allow: ['/ip4/127.0.0.0/ipcidr/8']
    },
    services,
    start: false
  })
  await registerTestProtocols(node)
  await node.start()
  return node
}
