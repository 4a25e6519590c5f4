package io.phase.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.protocol.RunMessage.Sender;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.SignedReceipt;
import io.phase.core.workspace.RawArchive;
import io.phase.core.workspace.WorkspaceArchive;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both sides of job-run driven against each other in memory, through the frame codec. */
class RunSessionTest {
  @TempDir Path host;
  FileSystem guest;
  final ClientRunSession client = new ClientRunSession();
  final WorkerRunSession worker = new WorkerRunSession();
  final RunFrameCodec.Decoder atWorker = RunFrameCodec.decoder(Sender.CLIENT);
  final RunFrameCodec.Decoder atClient = RunFrameCodec.decoder(Sender.WORKER);

  @BeforeEach
  void guestFs() {
    guest = Jimfs.newFileSystem(Configuration.unix());
  }

  @AfterEach
  void closeAll() throws Exception {
    worker.close();
    guest.close();
  }

  /** Client → wire → worker session. */
  void toWorker(RunMessage m) {
    List<RunMessage> got = atWorker.feed(RunFrameCodec.encode(m));
    assertEquals(List.of(m), got);
    worker.onMessage(got.get(0));
  }

  /** Worker → wire → client session. */
  void toClient(RunMessage m) {
    List<RunMessage> got = atClient.feed(RunFrameCodec.encode(m));
    assertEquals(List.of(m), got);
    client.onMessage(got.get(0));
  }

  static List<byte[]> chunks(byte[] data) {
    List<byte[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < data.length; i += RunMessage.MAX_CHUNK_BYTES) {
      out.add(Arrays.copyOfRange(data, i, Math.min(data.length, i + RunMessage.MAX_CHUNK_BYTES)));
    }
    return out;
  }

  WorkspaceUnpacker unpackerAt(String dir) throws Exception {
    return new WorkspaceUnpacker(Files.createDirectory(guest.getPath(dir)), 1 << 20, 100);
  }

  SignedReceipt streamOutput(String jobId, byte[] module, long from, String... texts) {
    OutputCommitment c = new OutputCommitment();
    for (int i = 0; i < texts.length; i++) {
      byte[] data = texts[i].getBytes(StandardCharsets.UTF_8);
      OutputKind kind = i % 2 == 0 ? OutputKind.STDOUT : OutputKind.STDERR;
      long seq = c.append(kind, data, 0, data.length);
      if (seq >= from) {
        toClient(worker.output(seq, kind, data));
      }
    }
    return RunFixtures.receipt(jobId, module, c);
  }

  @Test
  void fullRunUploadsModuleStdinAndWorkspaceThenStreamsOutputAndResult() throws Exception {
    byte[] module = new byte[RunMessage.MAX_CHUNK_BYTES + 1000];
    new Random(1).nextBytes(module);
    byte[] stdin = "input".getBytes(StandardCharsets.UTF_8);
    Files.createDirectory(host.resolve("src"));
    Files.writeString(host.resolve("src/main.c"), "int main(){}");
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    WorkspaceArchive.pack(host, 1 << 20, 100, archive);

    RunMessage.Submit submit = RunFixtures.submit(module, stdin.length, archive.size());
    toWorker(client.submit(submit));
    assertEquals(WorkerRunSession.State.ADMITTING, worker.state());
    toClient(worker.accept(RunFixtures.LIMITS, unpackerAt("/ws")));
    toClient(worker.needModule());
    assertEquals(ClientRunSession.State.UPLOADING, client.state());
    for (byte[] chunk : chunks(module)) {
      toWorker(client.moduleData(chunk));
    }
    toWorker(client.stdinData(stdin));
    for (byte[] chunk : chunks(archive.toByteArray())) {
      toWorker(client.workspaceData(chunk));
    }
    assertEquals(ClientRunSession.State.RUNNING, client.state());
    assertEquals(WorkerRunSession.State.RUNNING, worker.state());
    assertArrayEquals(module, worker.module());
    assertArrayEquals(stdin, worker.stdin());
    assertEquals("int main(){}", Files.readString(guest.getPath("/ws/src/main.c")));

    SignedReceipt receipt = streamOutput(submit.jobId(), module, 0, "a", "b", "c");
    toClient(worker.result(receipt));
    assertEquals(ClientRunSession.State.DONE, client.state());
    assertEquals(3, client.nextSeq());
    assertEquals(new RunMessage.Result(receipt), client.ending().orElseThrow());
    assertEquals(WorkerRunSession.State.DONE, worker.state());
  }

  @Test
  void heldModuleIsNotSent() {
    RunMessage.Submit submit = RunFixtures.submit(RunFixtures.MODULE, 0, 0);
    toWorker(client.submit(submit));
    toClient(worker.accept(RunFixtures.LIMITS, null));
    toClient(worker.haveModule(RunFixtures.MODULE.clone()));
    assertEquals(ClientRunSession.State.RUNNING, client.state());
    assertEquals(WorkerRunSession.State.RUNNING, worker.state());
    assertThrows(IllegalStateException.class, () -> client.moduleData(new byte[] {1}));
    assertArrayEquals(RunFixtures.MODULE, worker.module());
    WorkerRunSession other = new WorkerRunSession();
    other.onMessage(submit);
    other.accept(RunFixtures.LIMITS, null);
    assertThrows(IllegalArgumentException.class, () -> other.haveModule(new byte[] {1, 2}));
  }

  @Test
  void rejectionEndsBothSides() {
    toWorker(client.submit(RunFixtures.submit(RunFixtures.MODULE, 0, 0)));
    toClient(worker.reject(new RejectReason.QueueFull()));
    assertInstanceOf(RunMessage.Rejected.class, client.ending().orElseThrow());
    assertEquals(WorkerRunSession.State.DONE, worker.state());
    assertThrows(IllegalStateException.class, () -> worker.error(ErrorCode.INTERNAL, "again"));
  }

  @Test
  void moduleThatDoesNotMatchItsHashIsRefused() {
    byte[] declared = {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0};
    RunMessage.Submit submit = RunFixtures.submit(declared, 0, 0);
    toWorker(client.submit(submit));
    toClient(worker.accept(RunFixtures.LIMITS, null));
    toClient(worker.needModule());
    byte[] swapped = declared.clone();
    swapped[7] = 1;
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> toWorker(client.moduleData(swapped)));
    assertEquals(ErrorCode.MODULE_HASH_MISMATCH, e.code());
    toClient(worker.error(e));
    RunMessage.Error error = (RunMessage.Error) client.ending().orElseThrow();
    assertEquals(ErrorCode.MODULE_HASH_MISMATCH, error.code());
  }

  @Test
  void badWorkspaceIsReportedAsSuch() throws Exception {
    RawArchive raw = new RawArchive();
    byte[] archive = raw.file("../x", new byte[] {1}).end();
    toWorker(client.submit(RunFixtures.submit(RunFixtures.MODULE, 0, archive.length)));
    toClient(worker.accept(RunFixtures.LIMITS, unpackerAt("/w")));
    toClient(worker.haveModule(RunFixtures.MODULE));
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> toWorker(client.workspaceData(archive)));
    assertEquals(ErrorCode.BAD_WORKSPACE, e.code());
    assertTrue(e.getMessage().contains("'..'"));
  }

  @Test
  void workerRefusesClientFramesOutOfOrder() throws Exception {
    RunMessage.Submit submit = RunFixtures.submit(RunFixtures.MODULE, 4, 0);
    String job = submit.jobId();

    WorkerRunSession w = new WorkerRunSession();
    assertThrows(ProtocolException.class, () -> w.onMessage(new RunMessage.StdinData(new byte[1])));
    assertEquals(WorkerRunSession.State.DONE, w.state());

    WorkerRunSession w2 = new WorkerRunSession();
    w2.onMessage(submit);
    assertTrue(
        assertThrows(ProtocolException.class, () -> w2.onMessage(new RunMessage.Cancel(job)))
            .getMessage()
            .contains("in state ADMITTING"));

    WorkerRunSession w3 = new WorkerRunSession();
    w3.onMessage(submit);
    w3.accept(RunFixtures.LIMITS, null);
    assertThrows(
        ProtocolException.class, () -> w3.onMessage(new RunMessage.StdinData(new byte[1])));

    WorkerRunSession w4 = new WorkerRunSession();
    w4.onMessage(submit);
    w4.accept(RunFixtures.LIMITS, null);
    w4.haveModule(RunFixtures.MODULE);
    assertTrue(
        assertThrows(
                ProtocolException.class, () -> w4.onMessage(new RunMessage.ModuleData(new byte[1])))
            .getMessage()
            .contains("HAVE_MODULE"));

    WorkerRunSession w5 = new WorkerRunSession();
    w5.onMessage(submit);
    w5.accept(RunFixtures.LIMITS, null);
    w5.haveModule(RunFixtures.MODULE);
    assertTrue(
        assertThrows(
                ProtocolException.class, () -> w5.onMessage(new RunMessage.StdinData(new byte[5])))
            .getMessage()
            .contains("beyond stdin_size"));

    WorkerRunSession w6 = new WorkerRunSession();
    w6.onMessage(submit);
    w6.accept(RunFixtures.LIMITS, null);
    w6.needModule();
    assertTrue(
        assertThrows(
                ProtocolException.class, () -> w6.onMessage(new RunMessage.StdinData(new byte[1])))
            .getMessage()
            .contains("before the module"));

    WorkerRunSession w7 = new WorkerRunSession();
    w7.onMessage(submit);
    assertThrows(ProtocolException.class, () -> w7.onMessage(submit));
    assertThrows(ProtocolException.class, () -> w7.onMessage(submit));
  }

  @Test
  void clientRefusesWorkerFramesOutOfOrder() {
    RunMessage.Submit submit = RunFixtures.submit(RunFixtures.MODULE, 0, 0);
    String job = submit.jobId();
    OutputCommitment none = new OutputCommitment();

    ClientRunSession c1 = new ClientRunSession();
    c1.submit(submit);
    assertThrows(
        ProtocolException.class,
        () -> c1.onMessage(new RunMessage.Output(0, OutputKind.STDOUT, new byte[1])));
    assertEquals(ClientRunSession.State.DONE, c1.state());

    ClientRunSession c2 = new ClientRunSession();
    c2.submit(submit);
    String other = io.phase.core.exec.JobId.random();
    assertTrue(
        assertThrows(
                ProtocolException.class,
                () -> c2.onMessage(new RunMessage.Accepted(other, RunFixtures.LIMITS)))
            .getMessage()
            .contains("another job"));

    ClientRunSession c3 = running(submit, RunFixtures.LIMITS);
    c3.onMessage(new RunMessage.Output(0, OutputKind.STDOUT, new byte[1]));
    assertTrue(
        assertThrows(
                ProtocolException.class,
                () -> c3.onMessage(new RunMessage.Output(2, OutputKind.STDOUT, new byte[1])))
            .getMessage()
            .contains("expected 1"));

    ClientRunSession c4 = running(submit, RunFixtures.LIMITS);
    c4.onMessage(new RunMessage.Output(0, OutputKind.STDOUT, new byte[1]));
    SignedReceipt zeroChunks = RunFixtures.receipt(job, RunFixtures.MODULE, none);
    assertTrue(
        assertThrows(ProtocolException.class, () -> c4.onMessage(new RunMessage.Result(zeroChunks)))
            .getMessage()
            .contains("1 were streamed"));

    ClientRunSession c5 = running(submit, new RunLimits(64, 1000, 3));
    c5.onMessage(new RunMessage.Output(0, OutputKind.STDOUT, new byte[3]));
    assertTrue(
        assertThrows(
                ProtocolException.class,
                () -> c5.onMessage(new RunMessage.Output(1, OutputKind.STDOUT, new byte[1])))
            .getMessage()
            .contains("more output than the limit"));

    ClientRunSession c6 = running(submit, RunFixtures.LIMITS);
    byte[] otherModule = {0, 0x61, 0x73, 0x6d, 1, 0, 0, 9};
    SignedReceipt wrongModule = RunFixtures.receipt(job, otherModule, none);
    assertTrue(
        assertThrows(
                ProtocolException.class, () -> c6.onMessage(new RunMessage.Result(wrongModule)))
            .getMessage()
            .contains("another module"));
  }

  ClientRunSession running(RunMessage.Submit submit, RunLimits accepted) {
    ClientRunSession c = new ClientRunSession();
    c.submit(submit);
    c.onMessage(new RunMessage.Accepted(submit.jobId(), accepted));
    c.onMessage(new RunMessage.HaveModule(submit.moduleHash()));
    assertEquals(ClientRunSession.State.RUNNING, c.state());
    return c;
  }

  @Test
  void cancelDuringUploadEndsWithCancelledError() {
    RunMessage.Submit submit = RunFixtures.submit(RunFixtures.MODULE, 100, 0);
    toWorker(client.submit(submit));
    assertThrows(IllegalStateException.class, client::cancel);
    toClient(worker.accept(RunFixtures.LIMITS, null));
    toClient(worker.haveModule(RunFixtures.MODULE));
    toWorker(client.stdinData(new byte[10]));
    toWorker(client.cancel());
    assertTrue(worker.cancelRequested());
    assertThrows(IllegalStateException.class, () -> client.stdinData(new byte[10]));
    assertThrows(IllegalStateException.class, client::cancel);
    assertThrows(
        ProtocolException.class,
        () -> new WorkerRunSession().onMessage(new RunMessage.Cancel(submit.jobId())));
    toClient(worker.error(ErrorCode.CANCELLED, "cancelled before start"));
    assertEquals(ErrorCode.CANCELLED, ((RunMessage.Error) client.ending().orElseThrow()).code());
  }

  @Test
  void cancelWhileRunningEndsWithResult() {
    RunMessage.Submit submit = RunFixtures.submit(RunFixtures.MODULE, 0, 0);
    toWorker(client.submit(submit));
    toClient(worker.accept(RunFixtures.LIMITS, null));
    toClient(worker.haveModule(RunFixtures.MODULE));
    SignedReceipt receipt = streamOutput(submit.jobId(), RunFixtures.MODULE, 0, "partial");
    toWorker(client.cancel());
    assertTrue(worker.cancelRequested());
    toClient(worker.result(receipt));
    assertInstanceOf(RunMessage.Result.class, client.ending().orElseThrow());
  }

  @Test
  void secondCancelIsAProtocolErrorThatStillAllowsAnErrorFrame() {
    RunMessage.Submit submit = RunFixtures.submit(RunFixtures.MODULE, 0, 0);
    worker.onMessage(submit);
    worker.accept(RunFixtures.LIMITS, null);
    worker.haveModule(RunFixtures.MODULE);
    worker.onMessage(new RunMessage.Cancel(submit.jobId()));
    ProtocolException e =
        assertThrows(
            ProtocolException.class, () -> worker.onMessage(new RunMessage.Cancel(submit.jobId())));
    assertEquals(WorkerRunSession.State.DONE, worker.state());
    assertEquals(ErrorCode.PROTOCOL, worker.error(e).code());
    assertThrows(IllegalStateException.class, () -> worker.error(e));
  }

  @Test
  void attachReplaysFromTheRequestedSequence() {
    String job = io.phase.core.exec.JobId.random();
    toWorker(client.attach(new RunMessage.Attach(job, 2), 1 << 20));
    assertEquals(WorkerRunSession.State.ATTACHING, worker.state());
    assertEquals(job, worker.jobId().orElseThrow());
    toClient(worker.attached());
    assertThrows(
        IllegalStateException.class, () -> worker.output(1, OutputKind.STDOUT, new byte[1]));
    SignedReceipt receipt = streamOutput(job, RunFixtures.MODULE, 2, "0", "1", "2", "3");
    assertEquals(4, client.nextSeq());
    toClient(worker.result(receipt));
    assertInstanceOf(RunMessage.Result.class, client.ending().orElseThrow());
  }

  @Test
  void attachToAnUnknownJobEndsWithError() {
    String job = io.phase.core.exec.JobId.random();
    toWorker(client.attach(new RunMessage.Attach(job, 0), 100));
    toClient(worker.error(ErrorCode.UNKNOWN_JOB, "no such job"));
    assertEquals(ErrorCode.UNKNOWN_JOB, ((RunMessage.Error) client.ending().orElseThrow()).code());
    ClientRunSession c = new ClientRunSession();
    c.attach(new RunMessage.Attach(job, 5), 100);
    assertThrows(ProtocolException.class, () -> c.onMessage(new RunMessage.Attached(job, 4)));
  }

  @Test
  void workerCannotSkipOrExceedOutput() {
    RunMessage.Submit submit = RunFixtures.submit(RunFixtures.MODULE, 0, 0);
    worker.onMessage(submit);
    worker.accept(new RunLimits(64, 1000, 4), null);
    assertThrows(
        IllegalStateException.class, () -> worker.output(0, OutputKind.STDOUT, new byte[1]));
    worker.haveModule(RunFixtures.MODULE);
    worker.output(0, OutputKind.STDOUT, new byte[4]);
    assertThrows(
        IllegalStateException.class, () -> worker.output(1, OutputKind.STDOUT, new byte[1]));
    assertThrows(
        IllegalStateException.class,
        () ->
            worker.result(
                RunFixtures.receipt(submit.jobId(), RunFixtures.MODULE, new OutputCommitment())));
  }
}
