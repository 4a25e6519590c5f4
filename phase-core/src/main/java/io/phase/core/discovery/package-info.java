/**
 * Capability discovery on the Kademlia DHT: workers announce {@code /phase/capability/{arch}/wasm}
 * ({@link io.phase.core.discovery.Capability}) and serve signed details on {@code
 * /phase/worker-info/1.0.0} ({@link io.phase.core.discovery.WorkerInfoProtocol}); clients find them
 * with {@link io.phase.core.discovery.Discovery} and keep only verified, fresh details.
 */
package io.phase.core.discovery;
