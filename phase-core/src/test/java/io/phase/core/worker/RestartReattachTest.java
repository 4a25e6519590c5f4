package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.client.HandleState;
import io.phase.core.client.JobHandle;
import io.phase.core.client.JobOutcome;
import io.phase.core.client.JobSpec;
import io.phase.core.client.PhaseClient;
import io.phase.core.client.StaticWorkerDirectory;
import io.phase.core.client.WorkerCandidate;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.core.protocol.RunLimits;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.sandbox.Fixtures;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.p2p.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client process that goes away mid-job (as a Jenkins controller restarting) keeps only the small
 * serialised {@link HandleState}; a new process with the same node key reattaches from it and gets
 * the rest of the output and the verified receipt.
 */
class RestartReattachTest {

  @Test
  @Timeout(180)
  void aRestartedClientReattachesFromItsSavedHandleState() throws Exception {
    NodeKey workerKey = NodeKey.generate();
    try (PhaseNode workerNode = startNode(workerKey);
        Sandbox sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(1, 4));
        WorkerService service =
            WorkerService.start(
                workerNode.host(),
                workerKey,
                sandbox,
                WorkerConfig.defaults(WorkerPolicy.builder("x86_64", "chicory").build()))) {
      run(WorkerCandidate.of(workerNode.peerId(), workerNode.addresses()), service);
    }
  }

  private void run(WorkerCandidate worker, WorkerService service) throws Exception {
    NodeKey submitter = NodeKey.generate();
    JobSpec spec =
        JobSpec.of(
                Fixtures.bytes("cpu.wasm"),
                new RunLimits(64, 120_000, 1 << 20),
                "x86_64",
                "chicory")
            .withArgs(List.of("12"));

    // First "process": submit, save the handle state once dispatched, then vanish.
    String saved;
    PhaseNode first = startNode(submitter);
    try (PhaseClient client =
        new PhaseClient(
            first, new StaticWorkerDirectory(List.of(worker)), RemoteExecutionTest.ONE_ATTEMPT)) {
      JobHandle handle = client.submit(spec, new RemoteExecutionTest.Recorder());
      Optional<HandleState> state = Optional.empty();
      for (int i = 0; i < 600 && state.isEmpty(); i++) {
        state = handle.state();
        Thread.sleep(50);
      }
      assertTrue(state.isPresent(), "no handle state after dispatch");
      for (int i = 0; i < 200 && service.knownJobs() == 0; i++) {
        Thread.sleep(50);
      }
      assertEquals(1, service.knownJobs(), "the worker holds the job before the client goes");
      saved = state.get().toJson();
      assertTrue(saved.length() <= HandleState.MAX_BYTES);
    } finally {
      first.close();
    }

    // Second "process": same key, nothing but the saved JSON.
    PhaseNode second = startNode(submitter);
    try (PhaseClient client =
        new PhaseClient(
            second, new StaticWorkerDirectory(List.of(worker)), RemoteExecutionTest.ONE_ATTEMPT)) {
      RemoteExecutionTest.Recorder rec = new RemoteExecutionTest.Recorder();
      JobHandle handle = client.reattach(HandleState.parse(saved), rec);
      JobOutcome outcome = handle.outcome().get(150, TimeUnit.SECONDS);
      assertEquals(OutcomeKind.EXITED, outcome.outcome());
      assertEquals(0, outcome.exitCode().getAsInt());
      assertEquals(worker.peer(), outcome.worker());
      String out = rec.stdout.toString(StandardCharsets.UTF_8);
      assertTrue(out.startsWith("checksum="), out);
      assertEquals(1, out.lines().count(), "output delivered once: " + out);
    } finally {
      second.close();
    }
  }

  private static PhaseNode startNode(NodeKey key) throws Exception {
    return PhaseNode.start(
        NodeConfig.of(key, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), "phase-test/0"));
  }
}
