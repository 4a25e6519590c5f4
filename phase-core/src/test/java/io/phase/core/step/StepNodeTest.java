package io.phase.core.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.discovery.Capability;
import io.phase.core.discovery.DiscoveredWorker;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.WorkerNode;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.sandbox.Fixtures;
import io.phase.core.worker.WorkerPolicy;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step core against real workers: two {@link WorkerNode}s on loopback joined in a DHT, and a
 * {@link StepNode} that finds them through it, as the Jenkins plugin embeds it.
 */
@Timeout(180)
class StepNodeTest {
  private static final Duration DISCOVERY = Duration.ofSeconds(15);
  private static final List<WorkerNode> workers = new ArrayList<>();

  @TempDir Path tmp;

  @BeforeAll
  static void startWorkers() throws Exception {
    WorkerPolicy policy =
        WorkerPolicy.builder(Capability.localArch(), "chicory").maxMemoryMb(256).build();
    WorkerNode first = WorkerNode.start(workerConfig(List.of()), policy);
    workers.add(first);
    workers.add(WorkerNode.start(workerConfig(first.node().addresses()), policy));
    for (WorkerNode w : workers) {
      w.node().advertised().get(60, TimeUnit.SECONDS);
    }
  }

  private static NodeConfig workerConfig(List<Multiaddr> bootstrap) {
    return NodeConfig.of(
            NodeKey.generate(), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), "phase-test/0")
        .withBootstrap(bootstrap);
  }

  @AfterAll
  static void stopWorkers() {
    workers.forEach(WorkerNode::close);
  }

  private StepNode.Config config(Set<PeerId> allowed) {
    return new StepNode.Config(
        tmp.resolve("jenkins-home/phase/node.key"),
        List.of(),
        workers.get(0).node().addresses(),
        allowed,
        DISCOVERY,
        "phase-test/0");
  }

  private StepNode node() throws Exception {
    return StepNode.start(config(Set.of()));
  }

  private static StepRequest.Builder io(String... args) {
    return StepRequest.builder(Fixtures.path("io.wasm")).args(List.of(args));
  }

  private static StepResult await(RemoteStep step) throws Exception {
    return step.result().get(120, TimeUnit.SECONDS);
  }

  /** A log as a build's: everything printed, readable while the step runs. */
  private static final class Log {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }

    List<String> guestLines() {
      return text().lines().filter(l -> !l.startsWith("phase: ")).toList();
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void runsAStepStreamsItsOutputAndKeepsTheVerifiedReceipt() throws Exception {
    Log log = new Log();
    Path dir = tmp.resolve("build/phase/1");
    try (StepNode node = node()) {
      StepResult result =
          await(node.run(io("mixed").build(StepDefaults.STANDARD), dir, log.stream));
      assertEquals(0, result.status(), log.text());
      assertTrue(result.succeeded());
      assertEquals("", result.message());
      assertEquals(List.of("out1", "err1", "out2"), log.guestLines());
      assertTrue(log.text().startsWith("phase: dispatched job "), log.text());
      assertTrue(log.text().contains("phase: receipt verified: job "), log.text());
      assertEquals(0, node.runningSteps());
    }
    assertTrue(Files.isRegularFile(dir.resolve(StepFiles.RECEIPT)));
    StepReceipt receipt = StepReceipt.read(dir).orElseThrow();
    assertTrue(receipt.verified(), receipt.verification().message());
    assertEquals(OutcomeKind.EXITED, receipt.result().orElseThrow().outcome());

    // The files are the evidence: a transcript that does not match fails verification.
    Path transcript = dir.resolve(StepFiles.TRANSCRIPT);
    List<String> lines = Files.readAllLines(transcript);
    Files.write(transcript, lines.subList(0, lines.size() - 1));
    assertFalse(StepReceipt.read(dir).orElseThrow().verified());
  }

  @Test
  void argumentsAndEnvironmentReachTheGuestVerbatim() throws Exception {
    Log log = new Log();
    try (StepNode node = node()) {
      String hostile = "a b 'c' \"d\" $HOME `id` ;|&";
      StepResult args =
          await(
              node.run(
                  io("echo-args", hostile, "").build(StepDefaults.STANDARD),
                  tmp.resolve("a"),
                  log.stream));
      assertEquals(0, args.status());
      StepResult env =
          await(
              node.run(
                  io("env", "K", "MISSING").env(Map.of("K", hostile)).build(StepDefaults.STANDARD),
                  tmp.resolve("b"),
                  log.stream));
      assertEquals(0, env.status());
    }
    assertEquals(List.of(hostile(), "", "K=" + hostile(), "MISSING unset"), log.guestLines());
  }

  private static String hostile() {
    return "a b 'c' \"d\" $HOME `id` ;|&";
  }

  @Test
  void aNonZeroExitIsTheStepsStatusWithItsReceipt() throws Exception {
    Log log = new Log();
    Path dir = tmp.resolve("exit");
    try (StepNode node = node()) {
      StepResult result =
          await(node.run(io("exit", "3").build(StepDefaults.STANDARD), dir, log.stream));
      assertEquals(3, result.status());
      assertFalse(result.succeeded());
      assertEquals("the guest exited with status 3", result.message());
      assertTrue(result.outcome().isPresent());
    }
    assertTrue(StepReceipt.read(dir).orElseThrow().verified());
  }

  @Test
  void aPinnedWorkerRunsTheStep() throws Exception {
    PeerId second = workers.get(1).node().peerId();
    try (StepNode node = node()) {
      StepResult result =
          await(
              node.run(
                  io("exit", "0").worker(second.toBase58()).build(StepDefaults.STANDARD),
                  tmp.resolve("pinned"),
                  new Log().stream));
      assertEquals(second, result.outcome().orElseThrow().worker());
    }
  }

  @Test
  void aRestartedNodeResumesTheStepWithNothingLostOrRepeated() throws Exception {
    Path dir = tmp.resolve("build/phase/2");
    StepRequest request =
        StepRequest.builder(Fixtures.path("ticker.wasm"))
            .args(List.of("60", "40"))
            .build(StepDefaults.STANDARD);
    Log before = new Log();
    RemoteStep first;
    try (StepNode node = node()) {
      first = node.run(request, dir, before.stream);
      waitFor(() -> before.text().contains("tick 10\n"), "tick 10 before the restart");
    }
    // The controller went down: the step let go of the job without cancelling it.
    ExecutionException detached =
        assertThrows(ExecutionException.class, () -> first.result().get(10, TimeUnit.SECONDS));
    assertInstanceOf(StepDetachedException.class, detached.getCause());
    assertTrue(before.guestLines().size() < 60, "the job was still running at the restart");

    Log after = new Log();
    try (StepNode node = node()) {
      StepResult result = await(node.resume(dir, after.stream));
      assertEquals(0, result.status(), after.text());
    }
    assertTrue(after.text().startsWith("phase: resuming job "), after.text());
    List<String> all = new ArrayList<>(before.guestLines());
    all.addAll(after.guestLines());
    List<String> expected =
        IntStream.rangeClosed(1, 60).mapToObj(i -> "tick " + i).collect(Collectors.toList());
    assertEquals(expected, all, "every line exactly once, in order");
    StepReceipt receipt = StepReceipt.read(dir).orElseThrow();
    assertTrue(receipt.verified(), receipt.verification().message());
  }

  @Test
  void cancellingAStepStopsTheRemoteJob() throws Exception {
    Log log = new Log();
    Path dir = tmp.resolve("cancel");
    try (StepNode node = node()) {
      RemoteStep step =
          node.run(
              StepRequest.builder(Fixtures.path("ticker.wasm"))
                  .args(List.of("100000", "50"))
                  .build(StepDefaults.STANDARD),
              dir,
              log.stream);
      waitFor(() -> log.text().contains("tick 3\n"), "tick 3");
      step.cancel();
      StepResult result = await(step);
      assertEquals(ExitStatus.CANCELLED, result.status(), log.text());
      assertFalse(log.guestLines().contains("tick 10000"));
    }
    waitFor(
        () -> workers.stream().allMatch(w -> w.service().activeJobs() == 0),
        "the workers to end the cancelled job");
  }

  @Test
  void problemsWithTheRequestEndTheStepWithTheirStatus() throws Exception {
    Log log = new Log();
    try (StepNode node = node()) {
      StepResult missing =
          await(
              node.run(
                  StepRequest.builder(tmp.resolve("nope.wasm")).build(StepDefaults.STANDARD),
                  tmp.resolve("m"),
                  log.stream));
      assertEquals(ExitStatus.MODULE_NOT_FOUND, missing.status());
      assertTrue(missing.message().contains("does not exist"), missing.message());
      StepResult invalid =
          await(
              node.run(
                  StepRequest.builder(Fixtures.path("notwasm.wasm")).build(StepDefaults.STANDARD),
                  tmp.resolve("n"),
                  log.stream));
      assertEquals(ExitStatus.INVALID_MODULE, invalid.status(), invalid.message());
    }
    assertTrue(log.text().contains("phase: module "), log.text());
    StepException range =
        assertThrows(StepException.class, () -> io("x").memoryMb(0).build(StepDefaults.STANDARD));
    assertEquals(ExitStatus.PHASE_ERROR, range.status());
    assertEquals("memoryMb must be between 1 and 4096, not 0", range.getMessage());
    StepException worker =
        assertThrows(
            StepException.class, () -> io("x").worker("nope").build(StepDefaults.STANDARD));
    assertTrue(worker.getMessage().startsWith("worker: "), worker.getMessage());
  }

  @Test
  void onlyAllowedWorkersRunSteps() throws Exception {
    PeerId stranger = NodeKey.generate().peerId();
    try (StepNode node = StepNode.start(config(Set.of(stranger)))) {
      StepResult result =
          await(
              node.run(
                  io("exit", "0").build(StepDefaults.STANDARD),
                  tmp.resolve("x"),
                  new Log().stream));
      assertEquals(ExitStatus.NO_WORKER, result.status(), result.message());
      StepResult pinned =
          await(
              node.run(
                  io("exit", "0")
                      .worker(workers.get(0).node().peerId().toBase58())
                      .build(StepDefaults.STANDARD),
                  tmp.resolve("y"),
                  new Log().stream));
      assertEquals(ExitStatus.NO_WORKER, pinned.status());
      assertTrue(pinned.message().contains("not in the allowed workers"), pinned.message());
    }
  }

  @Test
  void anUnreachableBootstrapPeerIsStatus121() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Multiaddr dead =
        Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port).withP2p(NodeKey.generate().peerId());
    StepNode.Config c =
        new StepNode.Config(
            tmp.resolve("k"), List.of(), List.of(dead), Set.of(), Duration.ofSeconds(2), "t/0");
    try (StepNode node = StepNode.start(c)) {
      StepResult result =
          await(
              node.run(
                  io("exit", "0").build(StepDefaults.STANDARD),
                  tmp.resolve("u"),
                  new Log().stream));
      assertEquals(ExitStatus.NETWORK_UNREACHABLE, result.status());
      assertEquals("no bootstrap peer could be reached within 2 s", result.message());
    }
  }

  @Test
  void theNodeListsTheWorkersWithTheirSignedDetails() throws Exception {
    try (StepNode node = node()) {
      List<DiscoveredWorker> found = node.workers(DISCOVERY).get(60, TimeUnit.SECONDS);
      Set<PeerId> peers = found.stream().map(DiscoveredWorker::peer).collect(Collectors.toSet());
      assertEquals(workers.stream().map(w -> w.node().peerId()).collect(Collectors.toSet()), peers);
      assertTrue(found.stream().allMatch(w -> w.info().maxJobMemoryMb() == 256));
    }
  }

  @Test
  void theKeyFileIsPrivateAndKeepsTheIdentity() throws Exception {
    PeerId id;
    try (StepNode node = node()) {
      id = node.peerId();
    }
    Path key = tmp.resolve("jenkins-home/phase/node.key");
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    try (StepNode node = node()) {
      assertEquals(id, node.peerId());
    }
  }
}
