package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.exec.JobId;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.PhaseNode;
import io.phase.core.protocol.InputTree;
import io.phase.core.protocol.RunLimits;
import io.phase.core.protocol.RunMessage;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.sandbox.Fixtures;
import io.phase.core.sandbox.ModuleHash;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.core.workspace.RawArchive;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile client uploading input trees to a real worker over TCP: bytes that do not hash to the
 * offered digest, or an archive breaking the unpacking rules, end the stream with {@code
 * bad_workspace} and are never stored.
 */
class InputUploadTest {
  PhaseNode workerNode;
  PhaseNode clientNode;
  Sandbox sandbox;
  WorkerService service;

  @BeforeEach
  void start() throws Exception {
    NodeKey key = NodeKey.generate();
    workerNode = RawRunStreamTest.node(key);
    clientNode = RawRunStreamTest.node(NodeKey.generate());
    sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(2, 8));
    service =
        WorkerService.start(
            workerNode.host(),
            key,
            sandbox,
            WorkerConfig.defaults(WorkerPolicy.builder("x86_64", "chicory").build()));
  }

  @AfterEach
  void stop() {
    service.close();
    sandbox.close();
    clientNode.close();
    workerNode.close();
  }

  RawRunStreamTest.Raw open() throws Exception {
    RawRunStreamTest harness = new RawRunStreamTest();
    harness.workerNode = workerNode;
    return harness.open(clientNode);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Offers {@code offered} under {@code digest}, uploads it, returns the ERROR the worker sends.
   */
  RunMessage.Error upload(String digest, byte[] offered) throws Exception {
    byte[] module = Fixtures.bytes("io.wasm");
    RunMessage.Submit submit =
        new RunMessage.Submit(
            JobId.random(),
            "cd".repeat(16),
            ModuleHash.of(module),
            module.length,
            List.of("exit", "0"),
            Map.of(),
            0,
            0,
            new RunLimits(64, 10_000, 1 << 20),
            List.of(new InputTree("/share", digest, offered.length, true)));
    RawRunStreamTest.Raw raw = open();
    raw.send(submit);
    assertInstanceOf(RunMessage.Accepted.class, raw.next());
    RunMessage decision = (RunMessage) raw.next();
    List<String> missing =
        decision instanceof RunMessage.NeedModule n
            ? n.missingInputs()
            : ((RunMessage.HaveModule) decision).missingInputs();
    assertEquals(List.of(digest), missing);
    if (decision instanceof RunMessage.NeedModule) {
      raw.send(new RunMessage.ModuleData(module));
    }
    raw.send(new RunMessage.WorkspaceData(offered));
    return assertInstanceOf(RunMessage.Error.class, raw.next());
  }

  @Test
  void bytesThatDoNotHashToTheOfferedDigestAreRefusedAndNotStored() throws Exception {
    byte[] real = new RawArchive().file("cells.lib", b("library")).end();
    byte[] forged = new RawArchive().file("cells.lib", b("trojan!")).end();
    String digest = WorkspaceUnpacker.digestOf(real, 1 << 20, 100);
    RunMessage.Error error = upload(digest, forged);
    assertEquals(ErrorCode.BAD_WORKSPACE, error.code());
    assertTrue(
        error.message().startsWith("input /share: the tree's digest is sha256:"), error.message());
    assertTrue(error.message().endsWith(", not " + digest), error.message());
    assertEquals(0, service.storedInputTrees());
    assertEquals(0, service.receivedInputTrees());
  }

  @Test
  void archivesBreakingTheUnpackingRulesAreRefused() throws Exception {
    byte[] escape = new RawArchive().file("../escape", b("x")).end();
    RunMessage.Error error = upload("sha256:" + "0".repeat(64), escape);
    assertEquals(ErrorCode.BAD_WORKSPACE, error.code());
    assertTrue(error.message().startsWith("input /share: "), error.message());
    assertEquals(0, service.storedInputTrees());
  }
}
