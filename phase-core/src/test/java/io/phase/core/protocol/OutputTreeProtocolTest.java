package io.phase.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.exec.JobId;
import io.phase.core.protocol.RunMessage.Sender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SUBMIT's optional outputs and the worker's OUTPUT_TREE frames, on the wire and in sessions. */
class OutputTreeProtocolTest {
  static final String D1 = InputTreeProtocolTest.D1;

  static RunMessage.Submit submit(List<String> outputs) {
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
        List.of(new InputTree("/work", D1, 10, false)),
        outputs);
  }

  @Test
  void outputsAndTreeChunksRoundTripAndOutputsStayOffTheWireWhenAbsent() {
    var with = submit(List.of("/work/build", "/work/docs"));
    assertEquals(with, InputTreeProtocolTest.roundTrip(with, Sender.CLIENT));
    var without = submit(List.of());
    String json = new String(RunFrameCodec.encode(without), StandardCharsets.ISO_8859_1);
    assertTrue(!json.contains("outputs"), json);
    var chunk = new RunMessage.OutputTreeData(new byte[] {1, 2, 3});
    assertEquals(chunk, InputTreeProtocolTest.roundTrip(chunk, Sender.WORKER));
    assertThrows(
        ProtocolException.class, () -> InputTreeProtocolTest.roundTrip(chunk, Sender.CLIENT));
  }

  @Test
  void badOutputsAreRefusedWithOneLine() {
    var nested =
        assertThrows(ProtocolException.class, () -> submit(List.of("/work", "/work/build")));
    assertEquals(
        "SUBMIT.outputs paths /work and /work/build are equal or nested", nested.getMessage());
    assertThrows(ProtocolException.class, () -> submit(List.of("/work/../etc")));
    assertThrows(ProtocolException.class, () -> submit(List.of("relative")));
  }

  /** A client session that has submitted {@code s} and is running. */
  static ClientRunSession running(RunMessage.Submit s, long budget) {
    ClientRunSession client = new ClientRunSession();
    client.submit(s, budget);
    client.onMessage(new RunMessage.Accepted(s.jobId(), RunFixtures.LIMITS));
    client.onMessage(new RunMessage.HaveModule(s.moduleHash(), List.of()));
    assertEquals(ClientRunSession.State.RUNNING, client.state());
    return client;
  }

  @Test
  void theClientTakesNoMoreTreeBytesThanItsBudgetAndNoneUnasked() {
    ClientRunSession client = running(submit(List.of("/work/build")), 10);
    client.onMessage(new RunMessage.OutputTreeData(new byte[6]));
    var over =
        assertThrows(
            ProtocolException.class,
            () -> client.onMessage(new RunMessage.OutputTreeData(new byte[5])));
    assertEquals(
        "the worker sent more than the 10 bytes of output trees this client takes",
        over.getMessage());
    assertEquals(ClientRunSession.State.DONE, client.state());

    ClientRunSession unasked = running(submit(List.of()), 1 << 20);
    assertThrows(
        ProtocolException.class,
        () -> unasked.onMessage(new RunMessage.OutputTreeData(new byte[1])));

    ClientRunSession late = running(submit(List.of("/work/build")), 1 << 20);
    late.onMessage(new RunMessage.OutputTreeData(new byte[1]));
    var output =
        assertThrows(
            ProtocolException.class,
            () ->
                late.onMessage(
                    new RunMessage.Output(
                        0, io.phase.core.receipt.OutputKind.STDOUT, new byte[] {1})));
    assertEquals("OUTPUT after OUTPUT_TREE", output.getMessage());
  }

  @Test
  void theWorkerSendsTreeChunksOnlyWhenAskedAndNoOutputAfterThem() {
    WorkerRunSession asked = new WorkerRunSession();
    asked.onMessage(submit(List.of("/work/build")));
    asked.accept(RunFixtures.LIMITS, null);
    asked.haveModule(RunFixtures.MODULE, List.of(), null);
    assertEquals(WorkerRunSession.State.RUNNING, asked.state());
    asked.outputTree(new byte[3]);
    assertThrows(
        IllegalStateException.class,
        () -> asked.output(0, io.phase.core.receipt.OutputKind.STDOUT, new byte[1]));

    WorkerRunSession unasked = new WorkerRunSession();
    unasked.onMessage(submit(List.of()));
    unasked.accept(RunFixtures.LIMITS, null);
    unasked.haveModule(RunFixtures.MODULE, List.of(), null);
    assertThrows(IllegalStateException.class, () -> unasked.outputTree(new byte[3]));
  }
}
