package io.phase.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.exec.JobId;
import io.phase.core.protocol.RunMessage.Sender;
import io.phase.core.workspace.ArchiveBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SUBMIT's optional inputs and the worker's missing_inputs, on the wire and in both sessions. */
class InputTreeProtocolTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);

  static RunMessage.Submit submit(List<InputTree> inputs) {
    return new RunMessage.Submit(
        JobId.random(),
        RunFixtures.NONCE,
        io.phase.core.sandbox.ModuleHash.of(RunFixtures.MODULE),
        RunFixtures.MODULE.length,
        List.of(),
        Map.of(),
        0,
        0,
        RunFixtures.LIMITS,
        inputs);
  }

  static RunMessage roundTrip(RunMessage m, Sender from) {
    byte[] frame = RunFrameCodec.encode(m);
    int prefix = 0;
    while ((frame[prefix] & 0x80) != 0) {
      prefix++; // the uvarint length prefix
    }
    return RunFrameCodec.decodePayload(Arrays.copyOfRange(frame, prefix + 1, frame.length), from);
  }

  @Test
  void inputsRoundTripAndStayOffTheWireWhenAbsent() {
    var with =
        submit(
            List.of(new InputTree("/share", D1, 100, true), new InputTree("/work", D2, 6, false)));
    assertEquals(with, roundTrip(with, Sender.CLIENT));
    var without = submit(List.of());
    String json = new String(RunFrameCodec.encode(without), StandardCharsets.ISO_8859_1);
    assertTrue(!json.contains("inputs"), json);
    assertEquals(without, roundTrip(without, Sender.CLIENT));

    var need = new RunMessage.NeedModule(with.moduleHash(), List.of(D2));
    assertEquals(need, roundTrip(need, Sender.WORKER));
    var have = new RunMessage.HaveModule(with.moduleHash());
    assertNull(((RunMessage.HaveModule) roundTrip(have, Sender.WORKER)).missingInputs());
  }

  @Test
  void badInputsAreRefusedWithOneLine() {
    var nested =
        assertThrows(
            ProtocolException.class,
            () ->
                submit(
                    List.of(
                        new InputTree("/share", D1, 100, true),
                        new InputTree("/share/x", D2, 100, true))));
    assertEquals(
        "SUBMIT.inputs paths /share and /share/x are equal or nested", nested.getMessage());
    assertThrows(ProtocolException.class, () -> new InputTree("/a/../b", D1, 100, true));
    assertThrows(ProtocolException.class, () -> new InputTree("relative", D1, 100, true));
    assertThrows(ProtocolException.class, () -> new InputTree("/a", "sha256:XY", 100, true));
    assertThrows(ProtocolException.class, () -> new InputTree("/a", D1, 5, true));
    var both =
        assertThrows(
            ProtocolException.class,
            () ->
                new RunMessage.Submit(
                    JobId.random(),
                    RunFixtures.NONCE,
                    io.phase.core.sandbox.ModuleHash.of(RunFixtures.MODULE),
                    8,
                    List.of(),
                    Map.of(),
                    0,
                    100,
                    RunFixtures.LIMITS,
                    List.of(new InputTree("/a", D1, 100, true))));
    assertEquals("SUBMIT has both inputs and workspace_size; send one", both.getMessage());
  }

  @Test
  void onlyTheMissingTreesTravelEachDigestOnceInSubmitOrder() throws Exception {
    var s =
        submit(
            List.of(
                new InputTree("/a", D1, 10, true),
                new InputTree("/b", D2, 20, false),
                new InputTree("/c", D1, 10, false)));
    ClientRunSession client = new ClientRunSession();
    WorkerRunSession worker = new WorkerRunSession();
    worker.onMessage(client.submit(s));
    client.onMessage(worker.accept(RunFixtures.LIMITS, null));
    ArchiveBuffer sink = new ArchiveBuffer(10);
    var have = worker.haveModule(RunFixtures.MODULE, List.of(D1), sink);
    client.onMessage(have);
    assertEquals(List.of(new InputTree("/a", D1, 10, true)), client.travellingInputs());
    assertEquals(WorkerRunSession.State.RECEIVING, worker.state());
    byte[] archive = {'P', 'H', 'W', 'S', 1, 0, 0, 0, 0, 0};
    worker.onMessage(client.workspaceData(archive));
    assertEquals(WorkerRunSession.State.RUNNING, worker.state());
    assertEquals(ClientRunSession.State.RUNNING, client.state());
    assertThrows(IllegalStateException.class, () -> client.workspaceData(new byte[1]));

    // A worker naming a digest the client never offered breaks the protocol.
    ClientRunSession other = new ClientRunSession();
    other.submit(s);
    other.onMessage(new RunMessage.Accepted(s.jobId(), RunFixtures.LIMITS));
    var bogus = new RunMessage.HaveModule(s.moduleHash(), List.of("sha256:" + "3".repeat(64)));
    assertThrows(ProtocolException.class, () -> other.onMessage(bogus));
  }

  @Test
  void workerSessionRefusesInconsistentDecisions() {
    var s = submit(List.of(new InputTree("/a", D1, 10, true)));
    WorkerRunSession worker = new WorkerRunSession();
    worker.onMessage(s);
    worker.accept(RunFixtures.LIMITS, null);
    assertThrows(IllegalArgumentException.class, () -> worker.needModule());
    assertThrows(
        IllegalArgumentException.class, () -> worker.needModule(List.of(D1), null)); // no target
    assertThrows(
        IllegalArgumentException.class,
        () -> worker.needModule(List.of(D2), new ArchiveBuffer(10))); // not offered
    var need = worker.needModule(List.of(), null);
    assertEquals(List.of(), need.missingInputs());
  }
}
