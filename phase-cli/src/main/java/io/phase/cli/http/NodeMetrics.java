package io.phase.cli.http;

import io.phase.core.node.WorkerNode;
import io.phase.core.worker.JobSummary;
import io.phase.core.worker.WorkerStats;
import io.phase.p2p.host.Direction;
import io.phase.p2p.host.HostStats;
import io.phase.p2p.kad.LookupResult;
import io.phase.p2p.kad.wire.KadMessage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's Prometheus metrics, through the Prometheus Java client: counters and histograms fed by
 * job-end and DHT-lookup events, gauges and totals read from the node's snapshots at scrape time.
 * Each scrape reads the host's and the worker's snapshot once. Names are listed in docs/http.md.
 */
final class NodeMetrics {
  /** Upper bounds of the job duration histogram, in seconds (up to the longest job, 1 h). */
  static final double[] JOB_SECONDS = {
    0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600
  };

  /** Upper bounds of the DHT lookup latency histogram, in seconds. */
  static final double[] LOOKUP_SECONDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter jobs;
  private final Histogram jobSeconds;
  private final Counter lookups;
  private final Histogram lookupSeconds;

  NodeMetrics(WorkerNode worker, String version, Instant startedAt) {
    Supplier<HostStats.Snapshot> host = () -> worker.node().host().stats();
    Supplier<WorkerStats> stats = () -> worker.service().stats();

    Info.builder()
        .name("phase_build_info")
        .help("The running phase version")
        .labelNames("version")
        .register(registry)
        .setLabelValues(version);
    GaugeWithCallback.builder()
        .name("phase_node_start_time_seconds")
        .help("When the node started, in seconds since the epoch")
        .callback(cb -> cb.call(startedAt.toEpochMilli() / 1000.0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("phase_node_draining")
        .help("1 while the node refuses new jobs because it is shutting down")
        .callback(cb -> cb.call(stats.get().draining() ? 1 : 0))
        .register(registry);

    jobs =
        Counter.builder()
            .name("phase_jobs")
            .help("Jobs ended on this worker, by outcome (receipt outcome or error code)")
            .labelNames("outcome")
            .register(registry);
    jobSeconds =
        Histogram.builder()
            .name("phase_job_duration_seconds")
            .help("Time from a job's start on this worker to its end")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(JOB_SECONDS)
            .register(registry);
    GaugeWithCallback.builder()
        .name("phase_jobs_running")
        .help("Admitted jobs holding a run slot")
        .callback(cb -> cb.call(stats.get().runningJobs()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("phase_jobs_queued")
        .help("Admitted jobs waiting for a run slot (queue depth)")
        .callback(cb -> cb.call(stats.get().queuedJobs()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("phase_guest_memory_reserved_bytes")
        .help("Guest memory reserved by admitted jobs")
        .unit(Unit.BYTES)
        .callback(cb -> cb.call(stats.get().reservedMemoryMb() * 1048576.0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("phase_guest_memory_budget_bytes")
        .help("Most guest memory admitted jobs may reserve together")
        .unit(Unit.BYTES)
        .callback(cb -> cb.call(stats.get().memoryBudgetMb() * 1048576.0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("phase_job_output_buffered_bytes")
        .help("Output held by jobs' replay buffers")
        .unit(Unit.BYTES)
        .callback(cb -> cb.call(stats.get().bufferedOutputBytes()))
        .register(registry);
    CounterWithCallback.builder()
        .name("phase_module_store_lookups")
        .help("Submitted modules looked up by hash: hit (already held, not uploaded) or miss")
        .labelNames("result")
        .callback(
            cb -> {
              WorkerStats s = stats.get();
              cb.call(s.moduleHits(), "hit");
              cb.call(s.moduleMisses(), "miss");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("phase_compiled_module_cache_lookups")
        .help("Runs whose compiled module was cached (hit) or had to be compiled (miss)")
        .labelNames("result")
        .callback(
            cb -> {
              cb.call(worker.sandbox().compiledCacheHits(), "hit");
              cb.call(worker.sandbox().compiledCacheMisses(), "miss");
            })
        .register(registry);

    GaugeWithCallback.builder()
        .name("phase_p2p_connections")
        .help("libp2p connections now, by state: inbound, outbound (established) or handshaking")
        .labelNames("state")
        .callback(
            cb -> {
              HostStats.Snapshot s = host.get();
              cb.call(s.inboundConnections(), "inbound");
              cb.call(s.outboundConnections(), "outbound");
              cb.call(s.pendingHandshakes(), "handshaking");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("phase_p2p_streams")
        .help("Open yamux streams, by state: negotiated (protocol agreed) or negotiating")
        .labelNames("state")
        .callback(
            cb -> {
              HostStats.Snapshot s = host.get();
              cb.call(s.negotiatedStreams(), "negotiated");
              cb.call(s.negotiatingStreams(), "negotiating");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("phase_p2p_connections_refused")
        .help("Inbound connections refused by a limit, by reason")
        .labelNames("reason")
        .callback(
            cb -> {
              for (Map.Entry<String, Long> e : host.get().refusedByReason().entrySet()) {
                cb.call(e.getValue(), e.getKey());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("phase_p2p_connection_failures")
        .help("Connections that failed before being established (connect, handshake, timeout)")
        .labelNames("direction")
        .callback(
            cb -> {
              Map<Direction, Long> failures = host.get().upgradeFailures();
              for (Direction d : Direction.values()) {
                cb.call(failures.getOrDefault(d, 0L), d.name().toLowerCase(Locale.ROOT));
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("phase_p2p_received_bytes")
        .help("TCP bytes received by the libp2p host")
        .unit(Unit.BYTES)
        .callback(cb -> cb.call(host.get().bytesIn()))
        .register(registry);
    CounterWithCallback.builder()
        .name("phase_p2p_sent_bytes")
        .help("TCP bytes sent by the libp2p host")
        .unit(Unit.BYTES)
        .callback(cb -> cb.call(host.get().bytesOut()))
        .register(registry);

    GaugeWithCallback.builder()
        .name("phase_dht_routing_table_peers")
        .help("Peers in the DHT routing table")
        .callback(cb -> cb.call(worker.node().kad().node().routingTable().size()))
        .register(registry);
    lookups =
        Counter.builder()
            .name("phase_dht_lookups")
            .help("Iterative DHT lookups finished, by request type and why they stopped")
            .labelNames("type", "termination")
            .register(registry);
    lookupSeconds =
        Histogram.builder()
            .name("phase_dht_lookup_duration_seconds")
            .help("Duration of iterative DHT lookups, by request type")
            .unit(Unit.SECONDS)
            .labelNames("type")
            .classicOnly()
            .classicUpperBounds(LOOKUP_SECONDS)
            .register(registry);

    worker.service().addJobEndListener(this::jobEnded);
    worker.node().kad().node().addLookupObserver(this::lookupFinished);
  }

  private void jobEnded(JobSummary job) {
    jobs.labelValues(job.outcome().orElse("unknown")).inc();
    jobSeconds.observe(job.duration(job.finishedAt().orElse(Instant.now())).toNanos() / 1e9);
  }

  private void lookupFinished(
      KadMessage.Type type, LookupResult.Termination termination, long nanos) {
    String t = type.name().toLowerCase(Locale.ROOT);
    lookups
        .labelValues(
            t, termination == null ? "failed" : termination.name().toLowerCase(Locale.ROOT))
        .inc();
    lookupSeconds.labelValues(t).observe(nanos / 1e9);
  }

  /** The metrics in the Prometheus text format (version 0.0.4). */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }
}
