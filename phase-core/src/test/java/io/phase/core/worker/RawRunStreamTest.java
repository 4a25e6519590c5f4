package io.phase.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.phase.core.exec.JobId;
import io.phase.core.identity.NodeKey;
import io.phase.core.node.NodeConfig;
import io.phase.core.node.PhaseNode;
import io.phase.core.protocol.ProtocolException;
import io.phase.core.protocol.RejectReason;
import io.phase.core.protocol.RunFrameCodec;
import io.phase.core.protocol.RunLimits;
import io.phase.core.protocol.RunMessage;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.protocol.netty.RunFrameHandler;
import io.phase.core.protocol.netty.RunStreamListener;
import io.phase.core.receipt.Expectations;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.ReceiptVerifier;
import io.phase.core.sandbox.Fixtures;
import io.phase.core.sandbox.ModuleHash;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxConfig;
import io.phase.p2p.host.Stream;
import io.phase.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hand-written frames against a real worker over TCP: replays, bad frames, foreign attaches. */
class RawRunStreamTest {
  PhaseNode workerNode;
  PhaseNode clientNode;
  PhaseNode strangerNode;
  Sandbox sandbox;
  WorkerService service;

  @BeforeEach
  void start() throws Exception {
    NodeKey key = NodeKey.generate();
    workerNode = node(key);
    clientNode = node(NodeKey.generate());
    strangerNode = node(NodeKey.generate());
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
    strangerNode.close();
    workerNode.close();
  }

  static PhaseNode node(NodeKey key) throws Exception {
    return PhaseNode.start(
        NodeConfig.of(key, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), "phase-test/0"));
  }

  /** A stream that records what the worker sends. */
  static final class Raw implements RunStreamListener {
    final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    Stream stream;

    @Override
    public void onMessage(RunMessage message) {
      received.add(message);
    }

    @Override
    public void onProtocolError(ProtocolException failure) {
      received.add(failure);
    }

    @Override
    public void onInputEnded() {}

    @Override
    public void onWritable() {}

    @Override
    public void onClosed() {
      closed.complete(null);
    }

    Object next() throws InterruptedException {
      Object o = received.poll(20, TimeUnit.SECONDS);
      if (o == null) {
        throw new AssertionError("nothing received within 20 s");
      }
      return o;
    }

    void send(RunMessage m) {
      RunFrameHandler.writeAndFlush(stream.channel(), m);
    }

    void sendBytes(byte[] b) {
      stream.channel().writeAndFlush(Unpooled.wrappedBuffer(b));
    }
  }

  Raw open(PhaseNode from) throws Exception {
    Raw raw = new Raw();
    var connection = from.host().dial(workerNode.addresses().get(0)).get(10, TimeUnit.SECONDS);
    raw.stream =
        connection
            .newStream(
                s ->
                    s.channel()
                        .pipeline()
                        .addLast(new RunFrameHandler(RunMessage.Sender.WORKER, raw)),
                RunMessage.PROTOCOL_ID)
            .get(10, TimeUnit.SECONDS);
    return raw;
  }

  static RunMessage.Submit submit(String jobId, String nonce, byte[] module) {
    return new RunMessage.Submit(
        jobId,
        nonce,
        ModuleHash.of(module),
        module.length,
        List.of("mixed"),
        Map.of(),
        0,
        0,
        new RunLimits(64, 10_000, 1 << 20));
  }

  @Test
  void aReplayedSubmitIsRefused() throws Exception {
    byte[] module = Fixtures.bytes("io.wasm");
    RunMessage.Submit first = submit(JobId.random(), "ab".repeat(16), module);
    Raw a = open(clientNode);
    a.send(first);
    assertInstanceOf(RunMessage.Accepted.class, a.next());
    a.stream.channel().close();
    Raw b = open(clientNode);
    b.send(first);
    RunMessage.Rejected again = assertInstanceOf(RunMessage.Rejected.class, b.next());
    assertEquals(new RejectReason.InvalidRequest("duplicate job_id"), again.reason());
    Raw c = open(clientNode);
    c.send(submit(JobId.random(), "ab".repeat(16), module));
    RunMessage.Rejected nonce = assertInstanceOf(RunMessage.Rejected.class, c.next());
    assertEquals(new RejectReason.InvalidRequest("replayed nonce"), nonce.reason());
  }

  @Test
  void oversizedUnknownAndMisdirectedFramesEndTheStreamWithAProtocolError() throws Exception {
    // a length prefix far above the maximum frame
    Raw big = open(clientNode);
    big.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
    assertEquals(ErrorCode.PROTOCOL, assertInstanceOf(RunMessage.Error.class, big.next()).code());
    // an unknown frame type
    Raw unknown = open(clientNode);
    unknown.sendBytes(new byte[] {2, 0x7e, 0});
    assertEquals(
        ErrorCode.PROTOCOL, assertInstanceOf(RunMessage.Error.class, unknown.next()).code());
    // a frame only a worker sends
    Raw wrongSide = open(clientNode);
    wrongSide.sendBytes(
        RunFrameCodec.encode(new RunMessage.HaveModule(ModuleHash.of(new byte[8]))));
    assertEquals(
        ErrorCode.PROTOCOL, assertInstanceOf(RunMessage.Error.class, wrongSide.next()).code());
    // malformed JSON in a SUBMIT
    Raw json = open(clientNode);
    json.sendBytes(new byte[] {3, 0x01, '{', '}'});
    assertEquals(ErrorCode.PROTOCOL, assertInstanceOf(RunMessage.Error.class, json.next()).code());
    // data before SUBMIT
    Raw order = open(clientNode);
    order.send(new RunMessage.StdinData(new byte[] {1}));
    assertEquals(ErrorCode.PROTOCOL, assertInstanceOf(RunMessage.Error.class, order.next()).code());
    assertEquals(0, service.activeJobs());
    // The worker closed every one of those streams on its side: it holds nothing for them.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int open = Integer.MAX_VALUE;
    while (System.nanoTime() < deadline
        && (open = workerNode.host().connections().stream().mapToInt(c -> c.streamCount()).sum())
            > 0) {
      Thread.sleep(50);
    }
    assertEquals(0, open, "streams the worker still holds");
  }

  @Test
  void aModuleThatDoesNotMatchItsHashIsRefused() throws Exception {
    byte[] module = Fixtures.bytes("io.wasm");
    Raw raw = open(clientNode);
    raw.send(submit(JobId.random(), "cd".repeat(16), module));
    assertInstanceOf(RunMessage.Accepted.class, raw.next());
    assertInstanceOf(RunMessage.NeedModule.class, raw.next());
    byte[] swapped = module.clone();
    swapped[swapped.length - 1] ^= 1;
    for (int off = 0; off < swapped.length; off += RunMessage.MAX_CHUNK_BYTES) {
      raw.send(
          new RunMessage.ModuleData(
              java.util.Arrays.copyOfRange(
                  swapped, off, Math.min(swapped.length, off + RunMessage.MAX_CHUNK_BYTES))));
    }
    assertEquals(
        ErrorCode.MODULE_HASH_MISMATCH,
        assertInstanceOf(RunMessage.Error.class, raw.next()).code());
    RemoteExecutionTest.waitUntil(() -> service.activeJobs() == 0);
    assertEquals(0, service.cachedModules());
  }

  @Test
  void onlyTheSubmitterMayAttachAndUnknownJobsAreSaidSo() throws Exception {
    byte[] module = Fixtures.bytes("io.wasm");
    String jobId = JobId.random();
    Raw raw = open(clientNode);
    raw.send(submit(jobId, "ef".repeat(16), module));
    assertInstanceOf(RunMessage.Accepted.class, raw.next());
    assertInstanceOf(RunMessage.NeedModule.class, raw.next());
    raw.send(new RunMessage.ModuleData(module));
    Object m;
    while (!((m = raw.next()) instanceof RunMessage.Result)) {
      assertInstanceOf(RunMessage.Output.class, m);
    }
    Raw stranger = open(strangerNode);
    stranger.send(new RunMessage.Attach(jobId, 0));
    assertEquals(
        ErrorCode.FORBIDDEN, assertInstanceOf(RunMessage.Error.class, stranger.next()).code());
    Raw unknown = open(clientNode);
    unknown.send(new RunMessage.Attach(JobId.random(), 0));
    assertEquals(
        ErrorCode.UNKNOWN_JOB, assertInstanceOf(RunMessage.Error.class, unknown.next()).code());
    // the submitter gets the retained output and the receipt again
    Raw again = open(clientNode);
    again.send(new RunMessage.Attach(jobId, 1));
    assertEquals(1, assertInstanceOf(RunMessage.Attached.class, again.next()).fromSeq());
    assertEquals(1, assertInstanceOf(RunMessage.Output.class, again.next()).seq());
    assertEquals(2, assertInstanceOf(RunMessage.Output.class, again.next()).seq());
    assertEquals(jobId, assertInstanceOf(RunMessage.Result.class, again.next()).receipt().jobId());
  }

  /**
   * Issue 12: a client that stops reading for 35 s (longer than the 30 s after which the worker
   * used to drop the stream and let the guest run on, evicting output) still gets all 64 MiB and a
   * receipt that verifies against what it received; meanwhile the worker holds at most one replay
   * buffer plus one chunk for the job, and the guest is paused.
   */
  @Test
  void aClientThatStopsReadingFor35sGetsEverythingAndTheWorkerStaysBounded() throws Exception {
    byte[] module = Fixtures.bytes("flood.wasm");
    String jobId = JobId.random();
    Raw raw = open(clientNode);
    raw.send(
        new RunMessage.Submit(
            jobId,
            "a1".repeat(16),
            ModuleHash.of(module),
            module.length,
            List.of("64"),
            Map.of(),
            0,
            0,
            new RunLimits(64, 120_000, 65L << 20)));
    assertInstanceOf(RunMessage.Accepted.class, raw.next());
    assertInstanceOf(RunMessage.NeedModule.class, raw.next());
    raw.stream.channel().config().setAutoRead(false);
    for (int off = 0; off < module.length; off += RunMessage.MAX_CHUNK_BYTES) {
      raw.send(
          new RunMessage.ModuleData(
              java.util.Arrays.copyOfRange(
                  module, off, Math.min(module.length, off + RunMessage.MAX_CHUNK_BYTES))));
    }
    // the client reads nothing for 35 s; sample what the worker buffers meanwhile
    long bound = service.config().replayBufferBytes() + 64 * 1024;
    long peak = 0;
    long stallEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
    while (System.nanoTime() < stallEnd) {
      peak = Math.max(peak, service.bufferedOutputBytes());
      Thread.sleep(100);
    }
    assertEquals(1, service.activeJobs(), "the guest must be paused, not finished or dropped");
    assertTrue(peak <= bound, "buffered " + peak + " > " + bound);
    raw.stream.channel().config().setAutoRead(true);
    raw.stream.channel().read();
    OutputCommitment commitment = new OutputCommitment();
    long bytes = 0;
    long seq = 0;
    Object m;
    while (!((m = raw.next()) instanceof RunMessage.Result)) {
      RunMessage.Output out = assertInstanceOf(RunMessage.Output.class, m, m::toString);
      assertEquals(seq++, out.seq());
      commitment.append(out.kind(), out.data().toByteArray(), 0, out.data().length());
      bytes += out.data().length();
      peak = Math.max(peak, service.bufferedOutputBytes());
    }
    assertEquals(64L << 20, bytes);
    assertTrue(peak <= bound, "buffered " + peak + " > " + bound);
    var receipt = ((RunMessage.Result) m).receipt();
    assertTrue(
        ReceiptVerifier.verify(
                receipt,
                Expectations.builder()
                    .moduleBytes(module)
                    .jobId(jobId)
                    .worker(workerNode.peerId())
                    .output(commitment.summary())
                    .build())
            .isOk());
  }
}
