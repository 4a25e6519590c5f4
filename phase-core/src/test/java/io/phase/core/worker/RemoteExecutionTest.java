package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.client.ClientConfig;
import io.phase.core.client.JobEvent;
import io.phase.core.client.JobFailedException;
import io.phase.core.client.JobListener;
import io.phase.core.client.JobOutcome;
import io.phase.core.client.JobProgress;
import io.phase.core.client.JobSpec;
import io.phase.core.client.PhaseClient;
import io.phase.core.client.StaticWorkerDirectory;
import io.phase.core.client.WorkerCandidate;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.core.protocol.RejectReason;
import io.phase.core.protocol.RunLimits;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.ReceiptSigner;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.receipt.Verification;
import io.phase.core.receipt.WasmResult;
import io.phase.core.sandbox.Fixtures;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real nodes over real TCP on loopback: a client dispatching to real workers. */
class RemoteExecutionTest {
  static final RunLimits LIMITS = new RunLimits(64, 20_000, 64L << 20);
  static final ClientConfig ONE_ATTEMPT =
      new ClientConfig(
          1,
          Duration.ofMillis(50),
          Duration.ofMillis(200),
          3,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          64L << 20);
  static final ClientConfig RETRYING =
      new ClientConfig(
          3,
          Duration.ofMillis(50),
          Duration.ofMillis(200),
          3,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          64L << 20);

  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  record Worker(NodeKey key, PhaseNode node, WorkerService service) {
    WorkerCandidate candidate() {
      return WorkerCandidate.of(node.peerId(), node.addresses());
    }
  }

  PhaseNode node(NodeKey key) throws Exception {
    PhaseNode n =
        PhaseNode.start(
            NodeConfig.of(key, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), "phase-test/0"));
    open.add(n);
    return n;
  }

  Worker worker(Consumer<WorkerPolicy.Builder> policy, Consumer<WorkerConfig[]> config)
      throws Exception {
    NodeKey key = NodeKey.generate();
    PhaseNode n = node(key);
    Sandbox sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(2, 8));
    open.add(sandbox);
    WorkerPolicy.Builder b = WorkerPolicy.builder("x86_64", "chicory").maxMemoryMb(256);
    policy.accept(b);
    WorkerConfig[] c = {WorkerConfig.defaults(b.build())};
    config.accept(c);
    WorkerService service = WorkerService.start(n.host(), key, sandbox, c[0]);
    open.add(service);
    return new Worker(key, n, service);
  }

  Worker worker() throws Exception {
    return worker(b -> {}, c -> {});
  }

  PhaseClient client(ClientConfig config, Worker... workers) throws Exception {
    PhaseNode n = node(NodeKey.generate());
    // Listed order is preference order: each later worker advertises one more job, so the
    // ranking (which breaks ties at random) tries them in the order the test gives.
    List<WorkerCandidate> candidates = new ArrayList<>();
    for (Worker w : workers) {
      WorkerCandidate c = w.candidate();
      candidates.add(
          new WorkerCandidate(c.peer(), c.addresses(), OptionalInt.of(candidates.size())));
    }
    PhaseClient c = new PhaseClient(n, new StaticWorkerDirectory(candidates), config);
    open.add(c);
    return c;
  }

  static JobSpec io(String... args) {
    return JobSpec.of(Fixtures.bytes("io.wasm"), LIMITS, "x86_64", "chicory")
        .withArgs(List.of(args));
  }

  /** Collects output per kind and events. */
  static final class Recorder implements JobListener {
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final List<JobEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void onOutput(OutputKind kind, byte[] data) {
      (kind == OutputKind.STDOUT ? stdout : stderr).writeBytes(data);
    }

    final List<JobProgress> progress = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(JobEvent event) {
      events.add(event);
    }

    @Override
    public void onProgress(JobProgress p) {
      progress.add(p);
    }

    synchronized String out() {
      return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String err() {
      return stderr.toString(StandardCharsets.UTF_8);
    }

    <T extends JobEvent> List<T> events(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  static JobOutcome await(io.phase.core.client.JobHandle h) throws Exception {
    return h.outcome().get(60, TimeUnit.SECONDS);
  }

  static JobFailedException failure(io.phase.core.client.JobHandle h) {
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> h.outcome().get(60, TimeUnit.SECONDS));
    return assertInstanceOf(JobFailedException.class, e.getCause());
  }

  @Test
  void fullRunStreamsOutputAndVerifiesTheReceiptAndCachesTheModule() throws Exception {
    Worker w = worker();
    PhaseClient client = client(ONE_ATTEMPT, w);
    Recorder rec = new Recorder();
    JobOutcome done = await(client.submit(io("mixed"), rec));
    assertEquals(OutcomeKind.EXITED, done.outcome());
    assertEquals(0, done.exitCode().getAsInt());
    assertEquals(w.node().peerId(), done.worker());
    assertEquals("out1\nout2\n", rec.out());
    assertEquals("err1\n", rec.err());
    assertEquals(1, rec.events(JobEvent.Verified.class).size());
    assertEquals(1, w.service().modules().stored());

    Recorder again = new Recorder();
    JobOutcome second = await(client.submit(io("echo-args", "a", "b"), again));
    assertEquals("a\nb\n", again.out());
    assertEquals(OutcomeKind.EXITED, second.outcome());
    assertEquals(1, w.service().modules().stored(), "the module must not travel twice");
    assertEquals(1, client.peers().size());
    assertEquals(2, client.peers().get(0).successes());
  }

  @Test
  void jobsAreListedWithSubmitterModuleOutcomeAndReceiptAndEndListenersAreTold() throws Exception {
    Worker w = worker();
    List<JobSummary> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
    w.service().addJobEndListener(ended::add);
    PhaseNode submitter = node(NodeKey.generate());
    PhaseClient client =
        new PhaseClient(submitter, new StaticWorkerDirectory(List.of(w.candidate())), ONE_ATTEMPT);
    open.add(client);
    JobOutcome first = await(client.submit(io("mixed"), new Recorder()));
    JobOutcome second = await(client.submit(io("echo-args", "a"), new Recorder()));

    // The worker ends a job (and tells its listeners) as it sends the result: the client may have
    // the result a moment before.
    waitUntil(() -> ended.size() == 2);
    List<JobSummary> jobs = w.service().jobs();
    assertEquals(2, jobs.size());
    assertEquals(2, ended.size());
    for (JobSummary j : jobs) {
      assertFalse(j.running());
      assertEquals(submitter.peerId(), j.submitter());
      assertEquals(Optional.of("exited"), j.outcome());
      SignedReceipt r = j.receipt().orElseThrow();
      assertEquals(j.jobId(), r.jobId());
      assertEquals(r.result().moduleHash(), j.moduleHash());
      assertFalse(j.duration(Instant.now()).isNegative());
      assertTrue(!j.finishedAt().orElseThrow().isBefore(j.startedAt()));
    }
    assertEquals(first.jobId(), jobs.get(0).jobId());
    assertEquals(second.jobId(), jobs.get(1).jobId());
    WorkerStats stats = w.service().stats();
    assertEquals(0, stats.runningJobs());
    assertEquals(0, stats.reservedMemoryMb());
    assertEquals(2, stats.knownJobs());
    assertEquals(1, stats.moduleMisses(), "the first submit uploads the module");
    assertEquals(1, stats.moduleHits(), "the second finds it held");
    assertFalse(stats.draining());
    w.service().stopAccepting();
    assertTrue(w.service().stats().draining());
  }

  @Test
  void stdinAndWorkspaceTravelToTheGuest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Worker w = worker();
    PhaseClient client = client(ONE_ATTEMPT, w);
    Recorder rec = new Recorder();
    await(client.submit(io("cat").withStdin("piped".getBytes(StandardCharsets.UTF_8)), rec));
    assertEquals("piped", rec.out());
    java.nio.file.Files.writeString(dir.resolve("note.txt"), "from the workspace");
    Recorder files = new Recorder();
    JobSpec spec =
        JobSpec.of(Fixtures.bytes("files.wasm"), LIMITS, "x86_64", "chicory")
            .withArgs(List.of("read", "/work/note.txt"))
            .withWorkspace(dir);
    JobOutcome done = await(client.submit(spec, files));
    assertEquals(0, done.exitCode().getAsInt(), files.err());
    assertEquals("from the workspace", files.out());
  }

  @Test
  void everyRejectionReasonReachesTheClientTyped() throws Exception {
    NodeKey stranger = NodeKey.generate();
    Worker closed =
        worker(b -> b.allowOnly(java.util.Set.of(stranger.peerId())).maxMemoryMb(64), c -> {});
    PhaseClient client = client(ONE_ATTEMPT, closed);
    assertInstanceOf(
        RejectReason.InvalidRequest.class,
        failure(client.submit(io("mixed"), new Recorder())).rejectReason().orElseThrow());

    Worker open = worker(b -> b.maxMemoryMb(64).cpuCores(2), c -> {});
    PhaseClient c2 = client(ONE_ATTEMPT, open);
    var arch =
        failure(
            c2.submit(
                JobSpec.of(Fixtures.bytes("io.wasm"), LIMITS, "arm64", "chicory"), new Recorder()));
    assertEquals(JobFailedException.Kind.REJECTED, arch.kind());
    assertInstanceOf(RejectReason.ArchMismatch.class, arch.rejectReason().orElseThrow());
    var runtime =
        failure(
            c2.submit(
                JobSpec.of(Fixtures.bytes("io.wasm"), LIMITS, "x86_64", "wasmtime"),
                new Recorder()));
    assertInstanceOf(RejectReason.RuntimeNotSupported.class, runtime.rejectReason().orElseThrow());
    var memory =
        failure(
            c2.submit(
                JobSpec.of(
                    Fixtures.bytes("io.wasm"),
                    new RunLimits(128, 20_000, 1 << 20),
                    "x86_64",
                    "chicory"),
                new Recorder()));
    assertEquals(
        new RejectReason.InsufficientResources("memory"), memory.rejectReason().orElseThrow());

    Worker busy = worker(b -> b.jobs(1, 0), c -> {});
    PhaseClient c3 = client(ONE_ATTEMPT, busy);
    var looping =
        c3.submit(
            JobSpec.of(Fixtures.bytes("loop.wasm"), LIMITS, "x86_64", "chicory"), new Recorder());
    waitUntil(() -> busy.service().activeJobs() == 1);
    var full = failure(c3.submit(io("mixed"), new Recorder()));
    assertInstanceOf(RejectReason.QueueFull.class, full.rejectReason().orElseThrow());
    looping.cancel();
    assertEquals(OutcomeKind.CANCELLED, await(looping).outcome());
  }

  @Test
  void progressReportsDiscoveryTheUploadByteByByteThenRunning() throws Exception {
    Worker w = worker();
    PhaseClient client = client(ONE_ATTEMPT, w);
    byte[] stdin = new byte[700_000]; // several chunks after the module
    Recorder first = new Recorder();
    await(client.submit(io("cat").withStdin(stdin), first));
    long total = Fixtures.bytes("io.wasm").length + stdin.length;
    List<JobProgress> p = first.progress;
    assertEquals(new JobProgress.Discovering("wasm32-wasi"), p.get(0), p::toString);
    assertEquals(new JobProgress.Found(1), p.get(1));
    List<JobProgress.Uploading> uploads =
        p.stream()
            .filter(JobProgress.Uploading.class::isInstance)
            .map(JobProgress.Uploading.class::cast)
            .toList();
    assertTrue(uploads.size() >= 2, p::toString);
    long previous = 0;
    for (JobProgress.Uploading u : uploads) {
      assertEquals(w.node().peerId(), u.worker());
      assertEquals(total, u.totalBytes());
      assertTrue(u.sentBytes() > previous && u.sentBytes() <= total, p::toString);
      previous = u.sentBytes();
    }
    assertEquals(total, previous, "the last upload report covers every byte");
    assertEquals(new JobProgress.Running(w.node().peerId()), p.get(p.size() - 1));

    // The worker now holds the module and nothing else travels: no upload to report.
    Recorder second = new Recorder();
    await(client.submit(io("mixed"), second));
    assertEquals(
        List.of(
            new JobProgress.Discovering("wasm32-wasi"),
            new JobProgress.Found(1),
            new JobProgress.Running(w.node().peerId())),
        second.progress);
  }

  @Test
  void progressReportsWaitingForASlotOnABusyWorker() throws Exception {
    Worker w = worker(b -> b.jobs(1, 4).maxTimeout(Duration.ofSeconds(600)), c -> {});
    PhaseClient client = client(ONE_ATTEMPT, w);
    Recorder looping = new Recorder();
    var busy =
        client.submit(
            JobSpec.of(Fixtures.bytes("loop.wasm"), LIMITS, "x86_64", "chicory"), looping);
    waitUntil(() -> w.service().activeJobs() == 1);
    Recorder queued = new Recorder();
    long before = java.time.Instant.now().getEpochSecond();
    var waiting = client.submit(io("mixed"), queued);
    waitUntil(
        () -> queued.progress.stream().anyMatch(JobProgress.WaitingForSlot.class::isInstance));
    JobProgress.WaitingForSlot slot =
        (JobProgress.WaitingForSlot) queued.progress.get(queued.progress.size() - 1);
    assertEquals(w.node().peerId(), slot.worker());
    // the worker's worst case: one round of its longest job ahead
    long latest = slot.latestStart().getEpochSecond();
    assertTrue(latest >= before + 600 && latest <= before + 660, slot::toString);
    assertEquals(
        List.of(new JobProgress.Running(w.node().peerId())),
        looping.progress.stream().filter(JobProgress.Running.class::isInstance).toList());
    busy.cancel();
    assertEquals(OutcomeKind.CANCELLED, await(busy).outcome());
    await(waiting);
    assertEquals("out1\nout2\n", queued.out());
  }

  @Test
  void cancelEndsTheJobWithAVerifiedCancelledReceipt() throws Exception {
    Worker w = worker();
    PhaseClient client = client(ONE_ATTEMPT, w);
    var handle =
        client.submit(
            JobSpec.of(Fixtures.bytes("loop.wasm"), LIMITS, "x86_64", "chicory"), new Recorder());
    waitUntil(() -> w.service().activeJobs() == 1);
    Thread.sleep(200);
    handle.cancel();
    JobOutcome done = await(handle);
    assertEquals(OutcomeKind.CANCELLED, done.outcome());
    waitUntil(() -> w.service().activeJobs() == 0);
  }

  @Test
  void retryAfterARejectionGoesToAnotherWorker() throws Exception {
    Worker refusing = worker(b -> b.maxMemoryMb(32), c -> {});
    Worker good = worker();
    PhaseClient client = client(RETRYING, refusing, good);
    Recorder rec = new Recorder();
    JobOutcome done = await(client.submit(io("mixed"), rec));
    assertEquals(good.node().peerId(), done.worker());
    List<JobEvent.Retry> retries = rec.events(JobEvent.Retry.class);
    assertEquals(1, retries.size());
    assertEquals(JobFailedException.Kind.REJECTED, retries.get(0).cause());
    assertEquals("out1\nout2\n", rec.out());
  }

  @Test
  void aRefusalEveryWorkerWouldGiveIsNotRetried() throws Exception {
    Worker first = worker();
    Worker second = worker();
    PhaseClient client = client(RETRYING, first, second);
    Recorder rec = new Recorder();
    // 3601 s is beyond the manifest range of every worker: InvalidRequest, deterministic.
    var invalid =
        failure(
            client.submit(
                JobSpec.of(
                    Fixtures.bytes("io.wasm"),
                    new RunLimits(64, 3_601_000, 1 << 20),
                    "x86_64",
                    "chicory"),
                rec));
    assertInstanceOf(RejectReason.InvalidRequest.class, invalid.rejectReason().orElseThrow());
    assertEquals(1, rec.events(JobEvent.Dispatched.class).size(), rec.events.toString());
    assertTrue(rec.events(JobEvent.Retry.class).isEmpty(), rec.events.toString());
  }

  @Test
  void aWorkerThatRefusedIsNotAskedAgain() throws Exception {
    Worker refusing = worker(b -> b.maxMemoryMb(32), c -> {});
    PhaseClient client = client(RETRYING, refusing);
    Recorder rec = new Recorder();
    var memory = failure(client.submit(io("mixed"), rec));
    assertEquals(
        new RejectReason.InsufficientResources("memory"), memory.rejectReason().orElseThrow());
    assertEquals(1, rec.events(JobEvent.Dispatched.class).size(), rec.events.toString());
    assertTrue(rec.events(JobEvent.Retry.class).isEmpty(), rec.events.toString());
  }

  @Test
  void reattachAfterADroppedConnectionLosesAndRepeatsNothing() throws Exception {
    Worker w = worker();
    PhaseNode clientNode = node(NodeKey.generate());
    PhaseClient client =
        new PhaseClient(clientNode, new StaticWorkerDirectory(List.of(w.candidate())), ONE_ATTEMPT);
    open.add(client);
    Recorder rec = new Recorder();
    var dropper =
        new JobListener() {
          volatile boolean dropped;

          @Override
          public void onOutput(OutputKind kind, byte[] data) {
            rec.onOutput(kind, data);
            if (!dropped) {
              dropped = true;
              clientNode.host().connections(w.node().peerId()).forEach(c -> c.close());
            }
          }

          @Override
          public void onEvent(JobEvent event) {
            rec.onEvent(event);
          }
        };
    JobSpec flood =
        JobSpec.of(Fixtures.bytes("flood.wasm"), LIMITS, "x86_64", "chicory")
            .withArgs(List.of("4"));
    JobOutcome done = await(client.submit(flood, dropper));
    assertTrue(dropper.dropped);
    assertTrue(rec.events(JobEvent.Reattached.class).size() >= 1, rec.events.toString());
    byte[] out = rec.stdout.toByteArray();
    assertEquals(4 << 20, out.length);
    byte[] xs = new byte[4 << 20];
    java.util.Arrays.fill(xs, (byte) 'x');
    assertArrayEquals(xs, out);
    assertEquals(0, done.exitCode().getAsInt());
  }

  @Test
  void aClientThatVanishesGetsItsJobCancelledAfterTheGrace() throws Exception {
    Worker w = worker(b -> {}, c -> c[0] = c[0].withDetachGrace(Duration.ofMillis(300)));
    PhaseNode clientNode = node(NodeKey.generate());
    PhaseClient client =
        new PhaseClient(
            clientNode,
            new StaticWorkerDirectory(List.of(w.candidate())),
            new ClientConfig(
                1,
                Duration.ofMillis(50),
                Duration.ofMillis(50),
                0,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                1 << 20));
    open.add(client);
    var handle =
        client.submit(
            JobSpec.of(Fixtures.bytes("loop.wasm"), LIMITS, "x86_64", "chicory"), new Recorder());
    waitUntil(() -> w.service().activeJobs() == 1);
    clientNode.host().connections(w.node().peerId()).forEach(c -> c.close());
    assertEquals(JobFailedException.Kind.CONNECTION_LOST, failure(handle).kind());
    waitUntil(() -> w.service().activeJobs() == 0);
  }

  @Test
  void aDishonestWorkerIsCaughtEveryTime() throws Exception {
    Worker w = worker();
    PhaseClient client = client(ONE_ATTEMPT, w);
    w.service()
        .dishonest(
            new DishonestWorker() {
              @Override
              public byte[] output(long seq, OutputKind kind, byte[] data) {
                byte[] copy = data.clone();
                copy[0] ^= 1;
                return copy;
              }
            });
    assertEquals(
        Verification.Reason.OUTPUT_MISMATCH,
        failure(client.submit(io("mixed"), new Recorder())).verification().orElseThrow().reason());

    w.service()
        .dishonest(
            new DishonestWorker() {
              @Override
              public SignedReceipt receipt(SignedReceipt honest) {
                WasmResult r = honest.result();
                WasmResult forged =
                    new WasmResult(
                        r.jobId(),
                        r.moduleHash(),
                        r.outcome(),
                        OptionalInt.of(0),
                        r.detail(),
                        r.wallTimeMs() + 1,
                        r.output(),
                        r.limits(),
                        r.runtime(),
                        r.worker());
                return new SignedReceipt(
                    honest.schemaVersion(),
                    forged,
                    honest.jobId(),
                    honest.workerPubkey(),
                    honest.signature(),
                    honest.completedAt());
              }
            });
    assertEquals(
        Verification.Reason.BAD_SIGNATURE,
        failure(client.submit(io("mixed"), new Recorder())).verification().orElseThrow().reason());

    NodeKey other = NodeKey.generate();
    w.service()
        .dishonest(
            new DishonestWorker() {
              @Override
              public SignedReceipt receipt(SignedReceipt honest) {
                WasmResult r = honest.result();
                WasmResult moved =
                    new WasmResult(
                        r.jobId(),
                        r.moduleHash(),
                        r.outcome(),
                        r.exitCode(),
                        r.detail(),
                        r.wallTimeMs(),
                        r.output(),
                        r.limits(),
                        r.runtime(),
                        other.peerId());
                return ReceiptSigner.sign(other, moved, honest.completedAt());
              }
            });
    assertEquals(
        Verification.Reason.WORKER_MISMATCH,
        failure(client.submit(io("mixed"), new Recorder())).verification().orElseThrow().reason());
  }

  static JobSpec buildInto(java.nio.file.Path work, String text) {
    return JobSpec.of(Fixtures.bytes("files.wasm"), LIMITS, "x86_64", "chicory")
        .withArgs(List.of("write", "/work/build/new.o", text))
        .withInput(new JobSpec.InputMount(work, "/work", false))
        .withOutput("/work/build");
  }

  @Test
  void anOutputTreeComesBackCheckedAgainstTheReceiptAndUnpacksIntoAFreshDirectory(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path work = java.nio.file.Files.createDirectories(dir.resolve("work/build/sub"));
    java.nio.file.Files.writeString(work.resolve("deep.txt"), "deep");
    java.nio.file.Files.writeString(dir.resolve("work/build/old.o"), "old object");
    java.nio.file.Files.writeString(dir.resolve("work/main.c"), "int main;");
    Worker w = worker();
    PhaseClient client = client(ONE_ATTEMPT, w);
    Recorder rec = new Recorder();
    JobOutcome done = await(client.submit(buildInto(dir.resolve("work"), "fresh"), rec));
    assertEquals(0, done.exitCode().getAsInt(), rec.err());
    assertEquals(1, done.outputTrees().size());
    var tree = done.outputTrees().get(0);
    var named = done.receipt().result().outputs().get(0);
    assertEquals("/work/build", tree.path());
    assertEquals(named.digest(), tree.digest());
    assertEquals(named.size(), tree.archive().length);
    java.nio.file.Path out = dir.resolve("out/build");
    tree.unpackInto(out);
    assertEquals("fresh", java.nio.file.Files.readString(out.resolve("new.o")));
    assertEquals("old object", java.nio.file.Files.readString(out.resolve("old.o")));
    assertEquals("deep", java.nio.file.Files.readString(out.resolve("sub/deep.txt")));
    try (var all = java.nio.file.Files.walk(out)) {
      assertEquals(5, all.count(), "build/, new.o, old.o, sub/, sub/deep.txt and nothing else");
    }
    assertEquals(
        named.digest(),
        io.phase.core.workspace.WorkspaceArchive.treeDigest(out, 1 << 20, 100),
        "the unpacked directory hashes to the receipt's digest");
    assertFalse(
        java.nio.file.Files.exists(dir.resolve("work/build/new.o")),
        "a remote run copies nothing back into its input trees");
    var again = assertThrowsWorkspace(() -> tree.unpackInto(out));
    assertTrue(again.getMessage().contains("is not empty"), again.getMessage());

    // A worker that changes the tree on the wire is caught against the signed digest.
    w.service()
        .dishonest(
            new DishonestWorker() {
              @Override
              public byte[] outputTree(long offset, byte[] data) {
                byte[] copy = data.clone();
                copy[copy.length - 2] ^= 1;
                return copy;
              }
            });
    JobFailedException tampered =
        failure(client.submit(buildInto(dir.resolve("work"), "fresh"), new Recorder()));
    Verification v = tampered.verification().orElseThrow();
    assertEquals(Verification.Reason.OUTPUT_TREE_MISMATCH, v.reason());
    assertTrue(v.message().startsWith("output /work/build"), v.message());
  }

  @Test
  void outputTreesCutOffByADroppedConnectionComeAgainOnReattach(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("work/build"));
    java.nio.file.Files.write(dir.resolve("work/build/big.bin"), new byte[600 * 1024]);
    Worker w = worker();
    PhaseNode clientNode = node(NodeKey.generate());
    PhaseClient client =
        new PhaseClient(clientNode, new StaticWorkerDirectory(List.of(w.candidate())), ONE_ATTEMPT);
    open.add(client);
    java.util.concurrent.atomic.AtomicInteger cuts =
        new java.util.concurrent.atomic.AtomicInteger();
    w.service()
        .dishonest(
            new DishonestWorker() {
              @Override
              public byte[] outputTree(long offset, byte[] data) {
                // honest bytes, but the first stream is cut after its first tree chunk
                if (offset > 0 && cuts.getAndIncrement() == 0) {
                  w.node().host().connections(clientNode.peerId()).forEach(c -> c.close());
                }
                return data;
              }
            });
    Recorder rec = new Recorder();
    JobOutcome done = await(client.submit(buildInto(dir.resolve("work"), "fresh"), rec));
    assertTrue(cuts.get() >= 1, "the stream was cut");
    assertTrue(rec.events(JobEvent.Reattached.class).size() >= 1, rec.events.toString());
    java.nio.file.Path out = dir.resolve("out");
    done.outputTrees().get(0).unpackInto(out);
    assertArrayEquals(
        new byte[600 * 1024], java.nio.file.Files.readAllBytes(out.resolve("big.bin")));
    assertEquals("fresh", java.nio.file.Files.readString(out.resolve("new.o")));
  }

  @Test
  void anOutputTreeOverTheWorkersWorkspaceCapIsRefusedWithOneLine(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("work/build"));
    Worker w = worker(b -> b.maxWorkspace(1024, 100), c -> {});
    PhaseClient client = client(ONE_ATTEMPT, w);
    JobFailedException e =
        failure(client.submit(buildInto(dir.resolve("work"), "x".repeat(3000)), new Recorder()));
    assertEquals(JobFailedException.Kind.WORKER_ERROR, e.kind());
    assertTrue(e.getMessage().contains("output trees refused"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());

    JobSpec missing =
        JobSpec.of(Fixtures.bytes("files.wasm"), LIMITS, "x86_64", "chicory")
            .withArgs(List.of("ls", "/work"))
            .withInput(new JobSpec.InputMount(dir.resolve("work"), "/work", false))
            .withOutput("/work/nothere");
    JobFailedException absent = failure(client.submit(missing, new Recorder()));
    assertTrue(absent.getMessage().contains("/work/nothere"), absent.getMessage());

    JobSpec outside =
        JobSpec.of(Fixtures.bytes("files.wasm"), LIMITS, "x86_64", "chicory")
            .withArgs(List.of("ls", "/work"))
            .withInput(new JobSpec.InputMount(dir.resolve("work"), "/work", false))
            .withOutput("/elsewhere");
    JobFailedException refused = failure(client.submit(outside, new Recorder()));
    assertEquals(JobFailedException.Kind.REJECTED, refused.kind());
    assertTrue(refused.getMessage().contains("not inside"), refused.getMessage());
  }

  static io.phase.core.workspace.WorkspaceException assertThrowsWorkspace(
      org.junit.jupiter.api.function.Executable body) {
    return org.junit.jupiter.api.Assertions.assertThrows(
        io.phase.core.workspace.WorkspaceException.class, body);
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 30 s");
      }
      Thread.sleep(20);
    }
  }
}
