package io.phase.cli.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.discovery.WorkerInfo;
import io.phase.core.node.WorkerNode;
import io.phase.core.receipt.Expectations;
import io.phase.core.receipt.ReceiptVerifier;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.receipt.Verification;
import io.phase.core.worker.JobSummary;
import io.phase.core.worker.WorkerPolicy;
import io.phase.core.worker.WorkerStats;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.HostLimits;
import io.phase.p2p.host.HostStats;
import io.phase.p2p.identify.IdentifyResult;
import io.phase.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The node as the dashboard and {@code /api/} show it: JSON documents built from the node's
 * snapshots at request time (documented in docs/http.md). Strings that come from peers (agent
 * versions, worker details) are passed through as JSON strings; the page escapes them.
 */
final class NodeView {
  /** Most connections listed (the count is always exact). */
  static final int MAX_CONNECTIONS_LISTED = 256;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final WorkerNode worker;
  private final KnownWorkers workers;
  private final String version;
  private final Instant startedAt;

  NodeView(WorkerNode worker, KnownWorkers workers, String version, Instant startedAt) {
    this.worker = worker;
    this.workers = workers;
    this.version = version;
    this.startedAt = startedAt;
  }

  /** {@code /api/state}: node, peers and jobs in one document (what the page polls). */
  ObjectNode state() {
    ObjectNode o = JSON.objectNode();
    o.set("node", node());
    o.set("peers", peers());
    o.set("jobs", jobs());
    return o;
  }

  /** {@code /api/node}. */
  ObjectNode node() {
    Instant now = Instant.now();
    ObjectNode o = JSON.objectNode();
    o.put("peer_id", worker.node().peerId().toBase58());
    ArrayNode addrs = o.putArray("addresses");
    for (Multiaddr a : worker.node().addresses()) {
      addrs.add(a.toString());
    }
    o.put("version", version);
    o.put("started_at", startedAt.toString());
    o.put("uptime_s", Duration.between(startedAt, now).toSeconds());
    WorkerStats stats = worker.service().stats();
    o.put("draining", stats.draining());
    WorkerPolicy p = worker.service().config().policy();
    ObjectNode limits = o.putObject("limits");
    limits.put("arch", p.arch());
    limits.put("runtime", p.wasmRuntime());
    limits.put("cpu_cores", p.cpuCores());
    limits.put("max_jobs", p.maxConcurrentJobs());
    limits.put("max_queue", p.maxQueuedJobs());
    limits.put("max_memory_mb", p.maxMemoryMb());
    limits.put("max_memory_total_mb", p.maxMemoryTotalMb());
    limits.put("max_timeout_s", p.maxTimeout().toSeconds());
    limits.put("max_output_bytes", p.maxOutputBytes());
    limits.put("max_module_bytes", p.maxModuleBytes());
    limits.put("open_to_all", p.allowlist().isEmpty());
    HostLimits h = worker.node().host().limits();
    limits.put("max_connections", h.maxConnections());
    limits.put("max_connections_per_peer", h.maxConnectionsPerPeer());
    ObjectNode load = o.putObject("load");
    load.put("running_jobs", stats.runningJobs());
    load.put("queued_jobs", stats.queuedJobs());
    load.put("reserved_memory_mb", stats.reservedMemoryMb());
    load.put("known_jobs", stats.knownJobs());
    load.put("modules_held", stats.modulesHeld());
    ObjectNode dht = o.putObject("dht");
    dht.put("routing_table_size", worker.node().kad().node().routingTable().size());
    dht.put("provided_keys", worker.node().kad().providedKeyCount());
    HostStats.Snapshot net = worker.node().host().stats();
    ObjectNode traffic = o.putObject("network");
    traffic.put("inbound_connections", net.inboundConnections());
    traffic.put("outbound_connections", net.outboundConnections());
    traffic.put("pending_handshakes", net.pendingHandshakes());
    traffic.put("bytes_in", net.bytesIn());
    traffic.put("bytes_out", net.bytesOut());
    return o;
  }

  /** {@code /api/peers}: open connections and the workers found in the DHT. */
  ObjectNode peers() {
    ObjectNode o = JSON.objectNode();
    List<Connection> connections = worker.node().host().connections();
    o.put("connection_count", connections.size());
    ArrayNode list = o.putArray("connections");
    for (Connection c : connections) {
      if (list.size() >= MAX_CONNECTIONS_LISTED) {
        break;
      }
      ObjectNode e = list.addObject();
      e.put("peer_id", c.remotePeer().toBase58());
      e.put("direction", c.direction().name().toLowerCase(java.util.Locale.ROOT));
      e.put("address", c.remoteAddress().toString());
      e.put("opened_at", c.openedAt().toString());
      e.put("streams", c.streamCount());
      Optional<IdentifyResult> id = worker.node().identify().peerStore().get(c.remotePeer());
      if (id.isPresent()) {
        e.put("agent_version", id.get().agentVersion());
      } else {
        e.putNull("agent_version");
      }
    }
    KnownWorkers.Listing listing = workers.latest();
    o.put("workers_found_at", listing.at().equals(Instant.EPOCH) ? null : listing.at().toString());
    ArrayNode ws = o.putArray("workers");
    for (DiscoveredWorker w : listing.workers()) {
      ObjectNode e = ws.addObject();
      e.put("peer_id", w.peer().toBase58());
      e.put("self", w.peer().equals(worker.node().peerId()));
      ArrayNode a = e.putArray("addresses");
      w.addresses().forEach(m -> a.add(m.toString()));
      e.put("signature", "verified");
      WorkerInfo i = w.info();
      ObjectNode info = e.putObject("info");
      info.put("arch", i.arch());
      info.put("cpu_cores", i.cpuCores());
      info.put("memory_mb", i.memoryMb());
      info.put("runtime_name", i.runtimeName());
      info.put("runtime_version", i.runtimeVersion());
      info.put("max_job_memory_mb", i.maxJobMemoryMb());
      info.put("max_job_timeout_ms", i.maxJobTimeoutMs());
      info.put("max_module_bytes", i.maxModuleBytes());
      info.put("running_jobs", i.runningJobs());
      info.put("queued_jobs", i.queuedJobs());
      info.put("issued_at", i.issuedAt().toString());
      e.set("signed_details", i.toJson());
    }
    return o;
  }

  /** {@code /api/jobs}: running and retained jobs, newest first. */
  ObjectNode jobs() {
    Instant now = Instant.now();
    List<JobSummary> all = worker.service().jobs();
    ObjectNode o = JSON.objectNode();
    ArrayNode list = o.putArray("jobs");
    for (int i = all.size() - 1; i >= 0; i--) {
      list.add(job(all.get(i), now));
    }
    return o;
  }

  private ObjectNode job(JobSummary j, Instant now) {
    ObjectNode e = JSON.objectNode();
    e.put("job_id", j.jobId());
    e.put("submitter", j.submitter().toBase58());
    e.put("module_hash", j.moduleHash());
    e.put("state", j.running() ? "running" : "finished");
    e.put("memory_mb", j.memoryMb());
    e.put("started_at", j.startedAt().toString());
    e.put("finished_at", j.finishedAt().map(Instant::toString).orElse(null));
    e.put("duration_ms", j.duration(now).toMillis());
    e.put("outcome", j.outcome().orElse(null));
    if (j.receipt().isPresent()) {
      SignedReceipt r = j.receipt().get();
      ObjectNode receipt = e.putObject("receipt");
      receipt.put("url", "/api/jobs/" + j.jobId() + "/receipt");
      Verification v = verify(j, r);
      receipt.put("verification", v.isOk() ? "ok" : v.reason().name().toLowerCase());
      if (!v.isOk()) {
        receipt.put("verification_message", v.message());
      }
      r.result().exitCode().ifPresent(code -> receipt.put("exit_code", code));
      receipt.put("wall_time_ms", r.result().wallTimeMs());
    } else {
      e.putNull("receipt");
    }
    return e;
  }

  /** Checks the receipt's signature and that it binds this worker, the job id and the module. */
  private Verification verify(JobSummary j, SignedReceipt r) {
    return ReceiptVerifier.verify(
        r,
        Expectations.builder()
            .worker(worker.node().peerId())
            .jobId(j.jobId())
            .moduleHash(j.moduleHash())
            .build());
  }

  /** The signed receipt of a retained finished job, as canonical JSON. */
  Optional<byte[]> receipt(String jobId) {
    for (JobSummary j : worker.service().jobs()) {
      if (j.jobId().equals(jobId) && j.receipt().isPresent()) {
        return Optional.of(j.receipt().get().toJson());
      }
    }
    return Optional.empty();
  }
}
