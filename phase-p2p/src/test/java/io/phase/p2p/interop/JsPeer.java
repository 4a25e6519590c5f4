package io.phase.p2p.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real js-libp2p peer ({@code interop/peer.mjs}) running as a child process, scripted over its
 * line-based JSON control protocol (see {@code interop/README.md}).
 *
 * <p>Start with {@link #start(JsPeerOptions)} after {@link
 * JsPeerEnvironment#assumeNodeAvailable()}; send commands with {@link #command} (raw answer) or
 * {@link #commandOk} (throws on {@code "ok":false}); always close, which stops the peer and, if it
 * does not exit in time, kills its process tree. The peer's stderr goes to {@link #logFile()} under
 * {@code target/js-peers/}.
 */
public final class JsPeer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JsPeer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** Longest stdout line accepted from the peer. */
  private static final int MAX_LINE_BYTES = 1024 * 1024;

  /** Most commands awaiting an answer at once. */
  private static final int MAX_PENDING = 1024;

  /** The js side bounds every command's work by this, and so the harness too. */
  private static final long MAX_COMMAND_MILLIS = 600_000;

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
  private static final int LOG_TAIL_BYTES = 4096;

  private final String name;
  private final Process process;
  private final OutputStream stdin;
  private final Path logFile;
  private final Thread stdoutReader;
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String peerId;
  private volatile List<String> addrs = List.of();

  private JsPeer(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.logFile = logFile;
    this.stdoutReader = new Thread(this::readStdout, "js-peer-" + name + "-stdout");
    this.stdoutReader.setDaemon(true);
  }

  /**
   * Starts {@code node peer.mjs} with these options and waits for its ready line.
   *
   * @throws IOException if the process cannot start or exits before it is ready
   * @throws TimeoutException if it is not ready within the options' ready timeout
   */
  public static JsPeer start(JsPeerOptions options)
      throws IOException, InterruptedException, TimeoutException {
    Objects.requireNonNull(options, "options");
    Path node = JsPeerEnvironment.node();
    Path interopDir = JsPeerEnvironment.interopDir();
    Path logDir = Path.of("target", "js-peers").toAbsolutePath();
    Files.createDirectories(logDir);
    Path logFile =
        logDir.resolve(
            options.name()
                + "-"
                + ProcessHandle.current().pid()
                + "-"
                + COUNTER.incrementAndGet()
                + ".log");

    List<String> commandLine = new ArrayList<>();
    commandLine.add(node.toString());
    commandLine.add(interopDir.resolve("peer.mjs").toString());
    commandLine.addAll(options.peerArguments());
    Process process =
        new ProcessBuilder(commandLine)
            .directory(interopDir.toFile())
            .redirectError(ProcessBuilder.Redirect.to(logFile.toFile()))
            .start();

    JsPeer peer = new JsPeer(options.name(), process, logFile);
    peer.stdoutReader.start();
    try {
      JsonNode readyLine = peer.ready.get(options.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
      peer.peerId = readyLine.path("peerId").asText();
      List<String> addrs = new ArrayList<>();
      readyLine.path("addrs").forEach(addr -> addrs.add(addr.asText()));
      peer.addrs = List.copyOf(addrs);
      if (peer.peerId.isEmpty() || addrs.isEmpty()) {
        throw new IOException("js peer " + options.name() + " sent a bad ready line: " + readyLine);
      }
    } catch (TimeoutException e) {
      peer.close();
      throw new TimeoutException(
          "js peer "
              + options.name()
              + " not ready within "
              + options.readyTimeout()
              + "; log "
              + logFile
              + ":\n"
              + peer.logTail());
    } catch (ExecutionException e) {
      peer.close();
      throw new IOException(
          "js peer " + options.name() + " failed to start; log " + logFile + ":\n" + peer.logTail(),
          e.getCause());
    } catch (IOException | InterruptedException | RuntimeException e) {
      peer.close();
      throw e;
    }
    LOG.info(
        "js_peer.started name={} peer={} pid={} log={}",
        peer.name,
        peer.peerId,
        process.pid(),
        logFile);
    return peer;
  }

  /** A new control command object {@code {"cmd": cmd}} to fill in and pass to {@link #command}. */
  public static ObjectNode request(String cmd) {
    return JSON.createObjectNode().put("cmd", Objects.requireNonNull(cmd, "cmd"));
  }

  /** The peer's PeerId as js prints it ({@code 12D3KooW...}). */
  public String peerId() {
    return peerId;
  }

  /** The peer's listen addresses, each ending in {@code /p2p/<peerId>}. */
  public List<String> addrs() {
    return addrs;
  }

  /** The file that receives the peer's stderr. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the peer process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends one command (a JSON object; the harness sets its {@code id}, and {@code timeoutMs} to
   * {@code timeout} unless given) and returns the peer's answer, {@code ok} true or false.
   *
   * @throws IllegalArgumentException if {@code json} is not a JSON object
   * @throws TimeoutException if no answer arrives within {@code timeout}
   * @throws IOException if the peer cannot be written to or exits before answering
   */
  public JsonNode command(String json, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    return command(parseObject(json), timeout);
  }

  /** Like {@link #command(String, Duration)} with an already built object, which it modifies. */
  public JsonNode command(ObjectNode command, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (closed.get()) {
      throw new IllegalStateException("js peer " + name + " is closed");
    }
    long id = nextId.incrementAndGet();
    command.put("id", id);
    if (!command.has("timeoutMs")) {
      command.put("timeoutMs", Math.max(1, Math.min(MAX_COMMAND_MILLIS, timeout.toMillis())));
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    if (pending.size() >= MAX_PENDING) {
      throw new IllegalStateException("js peer " + name + " has " + MAX_PENDING + " open commands");
    }
    pending.put(id, answer);
    String what = command.path("cmd").asText("?");
    try {
      byte[] line = (JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8);
      synchronized (stdin) {
        stdin.write(line);
        stdin.flush();
      }
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "js peer " + name + " did not answer " + what + " within " + timeout);
    } catch (ExecutionException e) {
      throw new IOException("js peer " + name + " failed " + what, e.getCause());
    } finally {
      pending.remove(id);
    }
  }

  /**
   * Sends one command and returns its answer if {@code "ok":true}.
   *
   * @throws JsPeerCommandException if the peer answered {@code "ok":false}
   */
  public JsonNode commandOk(String json, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    return commandOk(parseObject(json), timeout);
  }

  /** Like {@link #commandOk(String, Duration)} with an already built object. */
  public JsonNode commandOk(ObjectNode command, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    JsonNode answer = command(command, timeout);
    if (!answer.path("ok").asBoolean(false)) {
      throw new JsPeerCommandException(name, command.path("cmd").asText("?"), answer);
    }
    return answer;
  }

  private static ObjectNode parseObject(String json) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(Objects.requireNonNull(json, "json"));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("command is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw new IllegalArgumentException("command must be a JSON object: " + truncate(json));
    }
    return object;
  }

  /**
   * Stops the peer: a {@code stop} command, then closing stdin, then killing the process tree if it
   * has not exited within the bounds. Never throws; safe to call more than once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean interrupted = false;
    try {
      if (process.isAlive() && ready.isDone() && !ready.isCompletedExceptionally()) {
        sendStop();
      }
      closeStdin();
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("js_peer.kill name={} reason=no_exit timeout={}", name, EXIT_TIMEOUT);
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      stdoutReader.join(KILL_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      interrupted = true;
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    } finally {
      failPending(new IOException("js peer " + name + " closed"));
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info(
        "js_peer.closed name={} exit={}",
        name,
        process.isAlive() ? "running" : String.valueOf(process.exitValue()));
  }

  private void sendStop() throws InterruptedException {
    long id = nextId.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      byte[] line = ("{\"id\":" + id + ",\"cmd\":\"stop\"}\n").getBytes(StandardCharsets.UTF_8);
      synchronized (stdin) {
        stdin.write(line);
        stdin.flush();
      }
      answer.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | ExecutionException | TimeoutException e) {
      LOG.warn("js_peer.stop_failed name={} error={}", name, e.toString());
    } finally {
      pending.remove(id);
    }
  }

  private void closeStdin() {
    synchronized (stdin) {
      try {
        stdin.close();
      } catch (IOException e) {
        LOG.debug("js_peer.stdin_close_failed name={} error={}", name, e.toString());
      }
    }
  }

  private void readStdout() {
    IOException failure = null;
    try (InputStream in = process.getInputStream()) {
      JsPeerLineReader reader = new JsPeerLineReader(in, MAX_LINE_BYTES);
      String line;
      while ((line = reader.readLine()) != null) {
        dispatch(line);
      }
    } catch (IOException e) {
      failure = e;
    }
    String exit;
    try {
      exit =
          process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              ? "exit code " + process.exitValue()
              : "process still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = "interrupted";
    }
    IOException ended =
        new IOException(
            "js peer " + name + " stdout ended (" + exit + "); log " + logFile, failure);
    ready.completeExceptionally(ended);
    failPending(ended);
  }

  private void dispatch(String line) {
    JsonNode message;
    try {
      message = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      LOG.warn("js_peer.bad_line name={} error={}", name, e.getOriginalMessage());
      return;
    }
    if (message == null || !message.isObject()) {
      LOG.warn("js_peer.bad_line name={} reason=not_an_object", name);
      return;
    }
    if (!ready.isDone()) {
      if ("ready".equals(message.path("event").asText())) {
        ready.complete(message);
      } else {
        ready.completeExceptionally(new IOException("first line was not the ready event: " + line));
      }
      return;
    }
    JsonNode id = message.get("id");
    CompletableFuture<JsonNode> answer =
        id != null && id.canConvertToLong() ? pending.get(id.asLong()) : null;
    if (answer == null) {
      LOG.warn("js_peer.unmatched_answer name={} answer={}", name, truncate(line));
      return;
    }
    answer.complete(message);
  }

  private void failPending(IOException cause) {
    for (CompletableFuture<JsonNode> answer : pending.values()) {
      answer.completeExceptionally(cause);
    }
  }

  private String logTail() {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length();
      long start = Math.max(0, length - LOG_TAIL_BYTES);
      byte[] tail = new byte[(int) (length - start)];
      file.seek(start);
      file.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read log: " + e.getMessage() + ")";
    }
  }

  private static String truncate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
