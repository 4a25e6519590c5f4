package io.phase.core.receipt;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Streams output chunks to a transcript (see {@link Transcript} for the format) while folding them
 * into an {@link OutputCommitment}, so the file and the committed summary always agree.
 * Thread-safe. Owns and closes the stream it was given.
 */
public final class TranscriptWriter implements Closeable {

  private final OutputStream out;
  private final OutputCommitment commitment;
  private boolean closed;

  /** Writes to {@code out}, which this writer closes. */
  public TranscriptWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
    this.commitment = new OutputCommitment();
  }

  /**
   * Continues a transcript whose lines so far fold to {@code written}: the next chunk gets sequence
   * {@code written.chunks()} and the summary covers the earlier chunks too. {@code out} appends to
   * the existing lines.
   */
  public TranscriptWriter(OutputStream out, OutputSummary written) {
    this.out = Objects.requireNonNull(out, "out");
    this.commitment = OutputCommitment.resume(written);
  }

  /**
   * Appends one chunk; returns its sequence number. The line is written but not flushed.
   *
   * @throws IllegalArgumentException if {@code len} exceeds {@link Transcript#MAX_CHUNK_BYTES}
   */
  public synchronized long append(OutputKind kind, byte[] data, int off, int len)
      throws IOException {
    Objects.checkFromIndexSize(off, len, data.length);
    if (len > Transcript.MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException(
          "chunk of " + len + " bytes exceeds " + Transcript.MAX_CHUNK_BYTES + "; split it");
    }
    if (closed) {
      throw new IOException("transcript writer is closed");
    }
    long seq = commitment.chunkCount();
    String encoded =
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(data, off, off + len));
    String line =
        "{\"seq\":" + seq + ",\"kind\":\"" + kind.wireName() + "\",\"data\":\"" + encoded + "\"}\n";
    out.write(line.getBytes(StandardCharsets.US_ASCII));
    long committed = commitment.append(kind, data, off, len);
    if (committed != seq) {
      throw new IllegalStateException("sequence drift: " + committed + " != " + seq);
    }
    return seq;
  }

  /** Flushes written lines to the underlying stream. */
  public synchronized void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  /** The summary of everything appended so far. */
  public OutputSummary summary() {
    return commitment.summary();
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
