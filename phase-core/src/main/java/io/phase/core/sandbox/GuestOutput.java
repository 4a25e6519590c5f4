package io.phase.core.sandbox;

import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.OutputSummary;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The guest's stdout and stderr: every write becomes one or more {@link OutputChunk}s (at most
 * {@link #MAX_CHUNK_BYTES} each), is folded into the output commitment and handed to the listener
 * at once. Nothing is buffered here. Past {@code maxBytes} in total the write that crosses the line
 * is cut at the cap and {@link OutputLimitExceeded} stops the guest. A chunk the listener refuses
 * ({@link OutputRefused}) is not committed and stops the guest too.
 *
 * <p>Used from the guest's thread only.
 */
final class GuestOutput {
  /** Largest chunk handed to listeners; larger writes are split. */
  static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final long maxBytes;
  private final OutputListener listener;
  private final OutputCommitment commitment = new OutputCommitment();
  private long totalBytes;
  private volatile boolean limitExceeded;
  private boolean closed;

  GuestOutput(long maxBytes, OutputListener listener) {
    this.maxBytes = maxBytes;
    this.listener = listener;
  }

  OutputStream stream(OutputKind channel) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] data, int off, int len) {
        accept(channel, data, off, len);
      }
    };
  }

  private synchronized void accept(OutputKind channel, byte[] data, int off, int len) {
    if (closed) {
      throw new IllegalStateException("the run has already finished");
    }
    if (limitExceeded) {
      throw new OutputLimitExceeded(maxBytes);
    }
    long room = maxBytes - totalBytes;
    int accepted = (int) Math.min(len, room);
    for (int pos = 0; pos < accepted; pos += MAX_CHUNK_BYTES) {
      int n = Math.min(MAX_CHUNK_BYTES, accepted - pos);
      byte[] copy = Arrays.copyOfRange(data, off + pos, off + pos + n);
      // The listener sees the chunk before it is committed: a chunk it refuses (OutputRefused) is
      // in no transcript, so a receipt never covers output nobody could be sent.
      listener.onOutput(new OutputChunk(commitment.chunkCount(), channel, copy));
      commitment.append(channel, copy, 0, n);
      totalBytes += n;
    }
    if (accepted < len) {
      limitExceeded = true;
      throw new OutputLimitExceeded(maxBytes);
    }
  }

  boolean limitExceeded() {
    return limitExceeded;
  }

  /** After this, the guest's writes fail: a late guest cannot add to a finished transcript. */
  synchronized void close() {
    closed = true;
  }

  synchronized OutputSummary summary() {
    return commitment.summary();
  }
}
