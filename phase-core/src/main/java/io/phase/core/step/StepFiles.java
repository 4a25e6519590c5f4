package io.phase.core.step;

import io.phase.core.client.HandleState;
import io.phase.core.receipt.OutputSummary;
import io.phase.core.receipt.Transcript;
import io.phase.core.receipt.TranscriptReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * A step's directory, what survives a restart of the process that runs it:
 *
 * <ul>
 *   <li>{@code state.json}: the job being followed ({@link HandleState}), written when an attempt
 *       is dispatched;
 *   <li>{@code transcript.jsonl}: every output chunk of that attempt, appended before the chunk
 *       reaches the log, so it is the record of what was shown;
 *   <li>{@code receipt.json}: the verified receipt, once the job is done.
 * </ul>
 *
 * Files are replaced atomically; the directory holds nothing secret.
 */
public final class StepFiles {
  public static final String STATE = "state.json";
  public static final String TRANSCRIPT = "transcript.jsonl";
  public static final String RECEIPT = "receipt.json";

  /** Slack over the output limit a transcript may take. */
  private static final long TRANSCRIPT_OVERHEAD = 64L << 20;

  private final Path dir;

  private StepFiles(Path dir) {
    this.dir = dir;
  }

  /** The step directory {@code dir}, created if missing. */
  public static StepFiles create(Path dir) throws IOException {
    Files.createDirectories(Objects.requireNonNull(dir, "dir"));
    return new StepFiles(dir);
  }

  /** The step directory {@code dir}, whether or not it exists (for naming it in a failure). */
  static StepFiles at(Path dir) {
    return new StepFiles(Objects.requireNonNull(dir, "dir"));
  }

  /** An existing step directory. */
  public static StepFiles open(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("step directory " + dir + " does not exist");
    }
    return new StepFiles(dir);
  }

  public Path dir() {
    return dir;
  }

  public Path receipt() {
    return dir.resolve(RECEIPT);
  }

  public Path transcript() {
    return dir.resolve(TRANSCRIPT);
  }

  Path state() {
    return dir.resolve(STATE);
  }

  /** Records the job being followed (its delivered output is the transcript's, not this one's). */
  void writeState(HandleState state) throws IOException {
    writeAtomically(state(), state.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** The saved job, if an attempt was dispatched. */
  Optional<HandleState> readState() throws IOException {
    Path path = state();
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (Files.size(path) > HandleState.MAX_BYTES) {
      throw new IOException(STATE + " is larger than " + HandleState.MAX_BYTES + " bytes");
    }
    try {
      return Optional.of(HandleState.parse(Files.readString(path, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      throw new IOException(STATE + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * What the transcript records as delivered. A line cut short by a crash is dropped first (its
   * chunk never reached the log either), so the summary is exactly the chunks written whole.
   */
  OutputSummary deliveredOutput(long maxOutputBytes) throws IOException {
    Path path = transcript();
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.createFile(path);
    }
    dropPartialLine(path);
    try (InputStream in = Files.newInputStream(path)) {
      return TranscriptReader.replay(
          in, Transcript.MAX_LINE_BYTES, maxTranscriptBytes(maxOutputBytes), chunk -> {});
    } catch (IllegalArgumentException e) {
      throw new IOException(TRANSCRIPT + " is damaged: " + e.getMessage(), e);
    }
  }

  /**
   * The largest transcript of a job with this output limit: base64 and line framing take at most 48
   * bytes per output byte (one-byte chunks), plus slack.
   */
  static long maxTranscriptBytes(long maxOutputBytes) {
    return maxOutputBytes * 48 + TRANSCRIPT_OVERHEAD;
  }

  private static void dropPartialLine(Path path) throws IOException {
    try (FileChannel ch =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      int tail = (int) Math.min(size, Transcript.MAX_LINE_BYTES + 1L);
      ByteBuffer buffer = ByteBuffer.allocate(tail);
      while (buffer.hasRemaining()) {
        if (ch.read(buffer, size - tail + buffer.position()) < 0) {
          throw new IOException(TRANSCRIPT + " shrank while being read");
        }
      }
      int last = tail - 1;
      while (last >= 0 && buffer.get(last) != '\n') {
        last--;
      }
      if (last < 0 && size > Transcript.MAX_LINE_BYTES) {
        throw new IOException(TRANSCRIPT + " ends in a line longer than any chunk");
      }
      long end = size - tail + last + 1;
      if (end < size) {
        ch.truncate(end);
      }
    }
  }

  /** Writes the verified receipt. */
  void writeReceipt(byte[] json) throws IOException {
    writeAtomically(receipt(), json);
  }

  static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, content);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
