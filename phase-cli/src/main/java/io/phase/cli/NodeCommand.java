package io.phase.cli;

import io.phase.cli.http.AccessToken;
import io.phase.cli.http.HttpSettings;
import io.phase.cli.http.NodeHttpServer;
import io.phase.core.discovery.Capability;
import io.phase.core.identity.KeyFileException;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.WorkerNode;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.worker.InputStoreConfig;
import io.phase.core.worker.WorkerConfig;
import io.phase.core.worker.WorkerPolicy;
import io.phase.p2p.host.HostLimits;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phase node}: the worker daemon, until SIGINT or SIGTERM. */
@Command(
    name = "node",
    description = {
      "Run a Phase worker node (the daemon operators install on spare machines).",
      "Once it listens, prints one line per dialable address on stdout:",
      "  LISTEN <multiaddr>/p2p/<peer id>",
      "joins the DHT (retrying while the bootstrap peers are down), advertises its capability",
      "/phase/capability/<arch>/wasm with signed details, runs jobs for remote clients under the",
      "limits below (whatever a request asks), and runs until SIGINT or SIGTERM.",
      "With --http HOST:PORT, also serves a dashboard, /api/, /metrics and /healthz and prints",
      "  HTTP <url>",
      "Every option can also come from --config FILE (JSON, keys = option names without dashes)."
    },
    mixinStandardHelpOptions = true,
    sortOptions = false)
final class NodeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "JSON file with defaults for these options.")
  Path config;

  @Option(
      names = "--listen",
      paramLabel = "MULTIADDR",
      description = "Address to listen on (repeatable). Default /ip4/0.0.0.0/tcp/4001.")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      description =
          "DHT peer to join through, ending in /p2p/<peer id> (repeatable). Without one, the node starts a new network.")
  List<String> bootstrap = new ArrayList<>();

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "Ed25519 node key (created with mode 0600 if missing). Default: "
              + "~/.config/phase/node.key")
  Path keyFile;

  @Option(
      names = "--allow",
      paramLabel = "PEERID",
      description = "Accept jobs only from these peers (repeatable). Default: open to all.")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--compiled-cache",
      paramLabel = "DIR",
      description =
          "Keep compiled modules here across restarts (HMAC-checked, least recently used"
              + " evicted). Default: $XDG_CACHE_HOME/phase/compiled or ~/.cache/phase/compiled.")
  Path compiledCacheDir;

  @Option(
      names = "--compiled-cache-mb",
      paramLabel = "N",
      description = "Bound of the compiled-module cache in MiB; 0 turns it off (default 1024).")
  Long compiledCacheMb;

  @Option(
      names = "--max-memory-mb",
      paramLabel = "N",
      description =
          "Largest memory a job may have, in MiB (1..2047, the sandbox's limit; default 2047).")
  Long maxMemoryMb;

  @Option(
      names = "--max-memory-total-mb",
      paramLabel = "N",
      description =
          "Guest memory of all admitted jobs together (default: 60% of the JVM's max heap). A job"
              + " asking for more than this is refused (InsufficientResources memory); one that"
              + " fits once others end gets QueueFull. ./phase sizes the heap from it.")
  Long maxMemoryTotalMb;

  @Option(
      names = "--replay-budget-mb",
      paramLabel = "N",
      description =
          "Output held in total by finished jobs for reattach (default 128, at least 8); past it"
              + " the oldest finished jobs are forgotten first.")
  Long replayBudgetMb;

  @Option(
      names = "--max-timeout-s",
      paramLabel = "N",
      description = "Longest a job may run (default 3600).")
  Long maxTimeoutSeconds;

  @Option(
      names = "--max-output-mb",
      paramLabel = "N",
      description = "Most output a job may write (default 1024).")
  Long maxOutputMb;

  @Option(
      names = "--max-module-mb",
      paramLabel = "N",
      description = "Largest module accepted (default 256).")
  Long maxModuleMb;

  @Option(
      names = "--max-jobs",
      paramLabel = "N",
      description = "Jobs run at once (default: the number of cores).")
  Long maxJobs;

  @Option(
      names = "--max-queue",
      paramLabel = "N",
      description = "Jobs waiting for a slot (default 16).")
  Long maxQueue;

  @Option(
      names = "--on-shutdown",
      paramLabel = "finish|cancel",
      description =
          "At SIGINT/SIGTERM, let running jobs finish (within --shutdown-grace-s) or cancel them (default finish).")
  String onShutdown;

  @Option(
      names = "--shutdown-grace-s",
      paramLabel = "N",
      description = "How long running jobs may take to finish at shutdown (default 30).")
  Long shutdownGraceSeconds;

  @Option(
      names = "--detach-grace-s",
      paramLabel = "N",
      description =
          "How long a running job whose client vanished waits for it to reconnect before it is cancelled (default 30).")
  Long detachGraceSeconds;

  @Option(
      names = "--max-pending-handshakes",
      paramLabel = "N",
      description =
          "Inbound connections still handshaking at once, from all addresses (default 64).")
  Long maxPendingHandshakes;

  @Option(
      names = "--max-pending-handshakes-per-ip",
      paramLabel = "N",
      description =
          "Inbound connections still handshaking at once from one IP address; newcomers beyond it are refused (default 16, at most --max-pending-handshakes).")
  Long maxPendingHandshakesPerIp;

  @Option(
      names = "--handshake-timeout-s",
      paramLabel = "N",
      description =
          "Deadline for a connection's whole upgrade and each stream's negotiation (default 10).")
  Long handshakeTimeoutSeconds;

  @Option(
      names = "--silent-timeout-ms",
      paramLabel = "N",
      description =
          "An inbound connection that sends no byte within this is closed (default 3000, at most the handshake timeout).")
  Long silentTimeoutMs;

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      description =
          "Serve the dashboard, /api/, /metrics and /healthz on this address (off by default;"
              + " e.g. 127.0.0.1:9464). A non-loopback address needs --http-token.")
  String http;

  @Option(
      names = "--http-token",
      paramLabel = "FILE",
      description =
          "File (mode 0600) holding the token every HTTP request must present, as"
              + " 'Authorization: Bearer TOKEN' or as the HTTP Basic password.")
  Path httpToken;

  @Option(
      names = "--input-store",
      paramLabel = "DIR",
      description =
          "Where clients' input trees are kept by digest, shared by every job (default"
              + " $XDG_CACHE_HOME/phase/inputs or ~/.cache/phase/inputs).")
  Path inputStore;

  @Option(
      names = "--input-store-mb",
      paramLabel = "N",
      description = "Most MiB of input trees kept; least recently used go first (default 1024).")
  Long inputStoreMb;

  @Override
  public Integer call() {
    DaemonConfigFile file =
        config == null ? DaemonConfigFile.empty() : DaemonConfigFile.read(config);
    List<Multiaddr> addresses = new ArrayList<>();
    List<String> listenTexts = file.list("listen", listen);
    for (String text : listenTexts.isEmpty() ? List.of("/ip4/0.0.0.0/tcp/4001") : listenTexts) {
      addresses.add(Parsing.multiaddr(text, "--listen"));
    }
    List<Multiaddr> peers = new ArrayList<>();
    for (String text : file.list("bootstrap", bootstrap)) {
      peers.add(Parsing.bootstrap(text, "--bootstrap"));
    }
    WorkerPolicy policy = policy(file);
    WorkerNode.ShutdownMode mode = shutdownMode(file.string("on-shutdown", onShutdown, "finish"));
    Duration grace =
        Duration.ofSeconds(range(file, "shutdown-grace-s", shutdownGraceSeconds, 30, 0, 3600));
    Duration detachGrace =
        Duration.ofSeconds(range(file, "detach-grace-s", detachGraceSeconds, 30, 1, 3600));
    long replayBudget = range(file, "replay-budget-mb", replayBudgetMb, 128, 8, 1 << 20);
    NodeKey key = loadKey(file.string("key", keyFile == null ? null : keyFile.toString(), null));
    Optional<HttpSettings> httpSettings = httpSettings(file);
    String storeDir =
        file.string(
            "input-store",
            inputStore == null ? null : inputStore.toString(),
            InputStoreConfig.defaultDir().toString());
    long storeMb = range(file, "input-store-mb", inputStoreMb, 1024, 0, 1 << 24);
    InputStoreConfig store =
        new InputStoreConfig(Path.of(storeDir), InputStoreConfig.DEFAULT_ENTRIES, storeMb << 20);
    long compiledMb =
        range(
            file,
            "compiled-cache-mb",
            compiledCacheMb,
            SandboxConfig.DEFAULT_COMPILED_CACHE_BYTES >> 20,
            0,
            CompiledCacheOptions.MAX_MB);
    String compiledDir =
        file.string(
            "compiled-cache",
            compiledCacheDir == null ? null : compiledCacheDir.toString(),
            SandboxConfig.defaultCompiledCacheDir().toString());
    SandboxConfig compiled =
        CompiledCacheOptions.apply(SandboxConfig.defaults(), Path.of(compiledDir), compiledMb);
    NodeConfig nodeConfig =
        NodeConfig.of(key, addresses, "phase/" + PhaseVersion.version())
            .withBootstrap(peers)
            .withLimits(limits(file));
    WorkerNode worker;
    try {
      worker =
          WorkerNode.start(
              nodeConfig,
              WorkerConfig.defaults(policy)
                  .withDetachGrace(detachGrace)
                  .withReplayBudget(replayBudget << 20),
              store,
              compiled.compiledCacheDir(),
              compiled.compiledCacheBytes());
    } catch (IOException e) {
      throw new UserError(1, "cannot start the node: " + e.getMessage());
    }
    NodeHttpServer httpServer = null;
    if (httpSettings.isPresent()) {
      try {
        httpServer = NodeHttpServer.start(httpSettings.get(), worker, PhaseVersion.version());
      } catch (IOException e) {
        worker.close();
        throw new UserError(1, e.getMessage());
      }
    }
    NodeHttpServer httpToClose = httpServer;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // /healthz answers 503 while the worker drains; the endpoint stops last.
                  worker.shutdown(mode, grace);
                  if (httpToClose != null) {
                    httpToClose.close();
                  }
                  stopped.countDown();
                },
                "phase-node-shutdown"));
    PrintStream out = System.out;
    for (Multiaddr address : worker.node().addresses()) {
      out.println("LISTEN " + address);
    }
    if (httpServer != null) {
      out.println("HTTP " + httpServer.url());
    }
    out.flush();
    try {
      while (!stopped.await(1, TimeUnit.HOURS)) {
        // a daemon: runs until a signal stops it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private Optional<HttpSettings> httpSettings(DaemonConfigFile file) {
    String address = file.string("http", http, null);
    String tokenFile =
        file.string("http-token", httpToken == null ? null : httpToken.toString(), null);
    if (address == null) {
      if (tokenFile != null) {
        throw new UserError(ExitCodes.USAGE, "--http-token needs --http");
      }
      return Optional.empty();
    }
    try {
      Optional<AccessToken> token =
          tokenFile == null ? Optional.empty() : Optional.of(AccessToken.read(Path.of(tokenFile)));
      return Optional.of(HttpSettings.of(address, token));
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, e.getMessage());
    }
  }

  private HostLimits limits(DaemonConfigFile file) {
    int pendingMax = (int) range(file, "max-pending-handshakes", maxPendingHandshakes, 64, 1, 4096);
    int perIp =
        (int)
            range(
                file,
                "max-pending-handshakes-per-ip",
                maxPendingHandshakesPerIp,
                Math.min(16, pendingMax),
                1,
                pendingMax);
    long handshakeS = range(file, "handshake-timeout-s", handshakeTimeoutSeconds, 10, 1, 300);
    long silentMs =
        range(
            file,
            "silent-timeout-ms",
            silentTimeoutMs,
            Math.min(3000, handshakeS * 1000),
            100,
            handshakeS * 1000);
    return HostLimits.DEFAULT
        .withHandshakeTimeout(Duration.ofSeconds(handshakeS))
        .withAdmission(pendingMax, perIp, Duration.ofMillis(silentMs));
  }

  private WorkerPolicy policy(DaemonConfigFile file) {
    WorkerPolicy.Builder b = WorkerPolicy.builder(Capability.localArch(), "chicory");
    Set<PeerId> allowed = new LinkedHashSet<>();
    for (String text : file.list("allow", allow)) {
      allowed.add(Parsing.peerId(text, "--allow"));
    }
    if (!allowed.isEmpty()) {
      b.allowOnly(allowed);
    }
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    long total =
        range(
            file,
            "max-memory-total-mb",
            maxMemoryTotalMb,
            WorkerPolicy.defaultMemoryTotalMb(),
            1,
            1L << 30);
    b.maxMemoryTotalMb(total);
    return b.maxMemoryMb(
            (int)
                range(
                    file,
                    "max-memory-mb",
                    maxMemoryMb,
                    SandboxLimits.ENGINE_MAX_MEMORY_MB,
                    1,
                    SandboxLimits.ENGINE_MAX_MEMORY_MB))
        .maxTimeout(
            Duration.ofSeconds(
                range(
                    file,
                    "max-timeout-s",
                    maxTimeoutSeconds,
                    SandboxLimits.MAX_TIMEOUT.toSeconds(),
                    1,
                    SandboxLimits.MAX_TIMEOUT.toSeconds())))
        .maxOutputBytes(range(file, "max-output-mb", maxOutputMb, 1024, 0, 1 << 20) << 20)
        .maxModuleBytes(range(file, "max-module-mb", maxModuleMb, 256, 1, 1024) << 20)
        .jobs(
            (int) range(file, "max-jobs", maxJobs, cores, 1, 1024),
            (int) range(file, "max-queue", maxQueue, 16, 0, 100_000))
        .build();
  }

  private static long range(
      DaemonConfigFile file, String name, Long given, long fallback, long min, long max) {
    long value = file.number(name, given, fallback);
    if (value < min || value > max) {
      throw new UserError(ExitCodes.USAGE, "--" + name + " must be between " + min + " and " + max);
    }
    return value;
  }

  private static WorkerNode.ShutdownMode shutdownMode(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "finish" -> WorkerNode.ShutdownMode.FINISH;
      case "cancel" -> WorkerNode.ShutdownMode.CANCEL;
      default -> throw new UserError(ExitCodes.USAGE, "--on-shutdown must be finish or cancel");
    };
  }

  private static NodeKey loadKey(String path) {
    try {
      return NodeKey.loadOrCreate(path == null ? NodeKey.defaultPath() : Path.of(path));
    } catch (KeyFileException e) {
      throw new UserError(ExitCodes.USAGE, e.getMessage());
    }
  }
}
