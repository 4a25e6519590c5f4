package io.phase.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.exec.JobId;
import io.phase.core.protocol.RunMessage.Sender;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.OutputKind;
import io.phase.p2p.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunFrameCodecTest {
  static final String JOB = JobId.random();
  static final String HASH = "sha256:" + "cd".repeat(32);

  static List<RunMessage> clientMessages() {
    return List.of(
        RunFixtures.submit(RunFixtures.MODULE, 3, 0),
        new RunMessage.ModuleData(new byte[] {1, 2, 3}),
        new RunMessage.StdinData(new byte[RunMessage.MAX_CHUNK_BYTES]),
        new RunMessage.WorkspaceData(new byte[] {9}),
        new RunMessage.Cancel(JOB),
        new RunMessage.Attach(JOB, 42));
  }

  static List<RunMessage> workerMessages() {
    OutputCommitment c = new OutputCommitment();
    c.append(OutputKind.STDOUT, new byte[] {1}, 0, 1);
    return List.of(
        new RunMessage.Accepted(JOB, RunFixtures.LIMITS),
        new RunMessage.Rejected(JOB, new RejectReason.InsufficientResources("memory")),
        new RunMessage.Rejected(JOB, new RejectReason.QueueFull()),
        new RunMessage.NeedModule(HASH),
        new RunMessage.HaveModule(HASH),
        new RunMessage.Attached(JOB, 7),
        new RunMessage.Output(5, OutputKind.STDERR, "héllo".getBytes(StandardCharsets.UTF_8)),
        new RunMessage.Output(
            Long.MAX_VALUE, OutputKind.STDOUT, new byte[RunMessage.MAX_CHUNK_BYTES]),
        new RunMessage.Result(RunFixtures.receipt(JOB, RunFixtures.MODULE, c)),
        RunMessage.Error.of(RunMessage.ErrorCode.MODULE_HASH_MISMATCH, "nope\0"));
  }

  static byte[] concat(List<RunMessage> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    messages.forEach(m -> out.writeBytes(RunFrameCodec.encode(m)));
    return out.toByteArray();
  }

  @Test
  void everyMessageRoundTripsInOneBufferAndByteByByte() {
    for (Sender from : Sender.values()) {
      List<RunMessage> messages = from == Sender.CLIENT ? clientMessages() : workerMessages();
      byte[] stream = concat(messages);
      RunFrameCodec.Decoder whole = RunFrameCodec.decoder(from);
      assertEquals(messages, whole.feed(stream));
      whole.finish();
      RunFrameCodec.Decoder trickle = RunFrameCodec.decoder(from);
      List<RunMessage> got = new ArrayList<>();
      for (byte b : stream) {
        got.addAll(trickle.feed(new byte[] {b}));
      }
      assertEquals(messages, got);
      assertTrue(trickle.atFrameBoundary());
    }
  }

  @Test
  void encodingIsStable() {
    for (RunMessage m : workerMessages()) {
      byte[] frame = RunFrameCodec.encode(m);
      RunMessage decoded = RunFrameCodec.decoder(Sender.WORKER).feed(frame).get(0);
      assertArrayEquals(frame, RunFrameCodec.encode(decoded), m.type().name());
    }
    byte[] frame = RunFrameCodec.encode(new RunMessage.Cancel(JOB));
    assertEquals(
        "{\"job_id\":\"" + JOB + "\"}",
        new String(frame, 2, frame.length - 2, StandardCharsets.UTF_8));
    assertEquals(0x05, frame[1]);
  }

  static ProtocolException refused(Sender from, byte[] bytes) {
    return assertThrows(ProtocolException.class, () -> RunFrameCodec.decoder(from).feed(bytes));
  }

  static byte[] frame(int type, byte[] body) {
    byte[] length = Varint.encode(body.length + 1L);
    byte[] out = new byte[length.length + 1 + body.length];
    System.arraycopy(length, 0, out, 0, length.length);
    out[length.length] = (byte) type;
    System.arraycopy(body, 0, out, length.length + 1, body.length);
    return out;
  }

  static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void badFramesAreRefusedWithClearErrors() {
    assertTrue(refused(Sender.CLIENT, new byte[] {0}).getMessage().contains("empty frame"));
    assertTrue(refused(Sender.CLIENT, frame(0x7f, new byte[0])).getMessage().contains("0x7f"));
    assertTrue(
        refused(Sender.WORKER, RunFrameCodec.encode(new RunMessage.Cancel(JOB)))
            .getMessage()
            .contains("sent by the client"));
    assertTrue(
        refused(Sender.CLIENT, new byte[] {(byte) 0x80, 0x00})
            .getMessage()
            .contains("non-minimal"));
    assertTrue(
        refused(Sender.CLIENT, Varint.encode(RunFrameCodec.MAX_FRAME_LENGTH + 1L))
            .getMessage()
            .contains("exceeds the maximum"));
    // a control frame's cap is checked from its header, before its body is buffered
    byte[] header = frame(0x01, new byte[0]);
    byte[] bigControl = Varint.encode(RunMessage.MAX_CONTROL_BODY + 2L);
    byte[] start = new byte[bigControl.length + 1];
    System.arraycopy(bigControl, 0, start, 0, bigControl.length);
    start[bigControl.length] = header[1];
    assertTrue(refused(Sender.CLIENT, start).getMessage().contains("exceeds its cap"));
    refused(Sender.CLIENT, frame(0x02, new byte[0]));
    refused(Sender.WORKER, frame(0x15, new byte[9]));
    byte[] badKind = new byte[10];
    badKind[8] = 2;
    assertTrue(refused(Sender.WORKER, frame(0x15, badKind)).getMessage().contains("kind"));
    byte[] negativeSeq = new byte[10];
    negativeSeq[0] = (byte) 0x80;
    refused(Sender.WORKER, frame(0x15, negativeSeq));
    assertTrue(
        refused(Sender.CLIENT, frame(0x05, json("{\"job_id\":\"" + JOB + "\",\"x\":1}")))
            .getMessage()
            .contains("unknown field"));
    refused(Sender.CLIENT, frame(0x05, json("{\"job_id\":\"" + JOB.toUpperCase() + "\"}")));
    refused(Sender.CLIENT, frame(0x06, json("{\"job_id\":\"" + JOB + "\",\"from_seq\":-1}")));
    refused(Sender.WORKER, frame(0x17, json("{\"code\":\"oops\",\"message\":\"\"}")));
    refused(Sender.WORKER, frame(0x16, json("{\"schema_version\":2}")));
  }

  @Test
  void submitBodyIsValidated() {
    byte[] good = RunFrameCodec.encode(RunFixtures.submit(RunFixtures.MODULE, 0, 0));
    String body = new String(good, 2, good.length - 2, StandardCharsets.UTF_8);
    assertFalse(body.isEmpty());
    for (String[] change :
        new String[][] {
          {"\"module_size\":8", "\"module_size\":0"},
          {"\"args\":[\"a\",\"b c\"]", "\"args\":[\"a\",1]"},
          {"\"env\":{\"A\":\"2\",\"Z\":\"1\"}", "\"env\":{\"A=B\":\"2\"}"},
          {"\"env\":{\"A\":\"2\",\"Z\":\"1\"}", "\"env\":{\"A\":null}"},
          {"\"memory_mb\":64", "\"memory_mb\":0"},
          {"\"memory_mb\":64", "\"memory_mb\":5000"},
          {"\"timeout_ms\":10000", "\"timeout_ms\":0"},
          {"\"nonce\":\"" + RunFixtures.NONCE + "\"", "\"nonce\":\"abc\""},
          {"\"stdin_size\":0", "\"stdin_size\":1099511627777"},
        }) {
      assertTrue(body.contains(change[0]), change[0] + " in " + body);
      byte[] bad = json(body.replace(change[0], change[1]));
      assertThrows(
          ProtocolException.class,
          () -> RunFrameCodec.decoder(Sender.CLIENT).feed(frame(0x01, bad)),
          change[1]);
    }
  }

  @Test
  void decoderStaysFailedAndDetectsTruncation() {
    RunFrameCodec.Decoder d = RunFrameCodec.decoder(Sender.CLIENT);
    assertThrows(ProtocolException.class, () -> d.feed(new byte[] {0}));
    assertTrue(
        assertThrows(ProtocolException.class, () -> d.feed(new byte[0]))
            .getMessage()
            .contains("already failed"));
    RunFrameCodec.Decoder t = RunFrameCodec.decoder(Sender.CLIENT);
    byte[] f = RunFrameCodec.encode(new RunMessage.Cancel(JOB));
    t.feed(java.util.Arrays.copyOf(f, f.length - 1));
    assertThrows(ProtocolException.class, t::finish);
  }
}
