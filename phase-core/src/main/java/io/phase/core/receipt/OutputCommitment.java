package io.phase.core.receipt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The SHA-256 chain over output chunks in order:
 *
 * <pre>
 * state_0 = SHA256("phase-protocol:v1:commitment")
 * state_n = SHA256(state_{n-1} || u64be(seq) || u32be(len(kind)) || kind || u32be(len(data)) || data)
 * </pre>
 *
 * with {@code seq} starting at 0 and incremented per chunk. Also counts bytes per kind. Thread-safe
 * (all methods synchronize on the instance).
 */
public final class OutputCommitment {

  /** Length of a commitment state. */
  public static final int DIGEST_LENGTH = 32;

  private static final byte[] DOMAIN =
      "phase-protocol:v1:commitment".getBytes(StandardCharsets.US_ASCII);

  private final MessageDigest sha256 = newSha256();
  private byte[] state;
  private long chunks;
  private long stdoutBytes;
  private long stderrBytes;

  /** Starts at {@code state_0}. */
  public OutputCommitment() {
    state = initialState();
  }

  /**
   * Continues a chain from a saved summary (e.g. a client resuming after a restart): the next chunk
   * gets sequence number {@code saved.chunks()}.
   */
  public static OutputCommitment resume(OutputSummary saved) {
    OutputCommitment c = new OutputCommitment();
    c.state = saved.commitment().toByteArray();
    c.chunks = saved.chunks();
    c.stdoutBytes = saved.stdoutBytes();
    c.stderrBytes = saved.stderrBytes();
    return c;
  }

  /** {@code state_0}, the commitment of an empty output. */
  public static byte[] initialState() {
    return newSha256().digest(DOMAIN);
  }

  /**
   * Folds one chunk into the chain.
   *
   * @param kind {@code "stdout"} or {@code "stderr"}
   * @return the sequence number this chunk was given
   * @throws IllegalArgumentException for any other kind
   */
  public long append(String kind, byte[] data, int off, int len) {
    return append(OutputKind.fromWireName(kind), data, off, len);
  }

  /** Folds one chunk into the chain; returns the sequence number it was given. */
  public synchronized long append(OutputKind kind, byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    byte[] kindBytes = kind.wireName().getBytes(StandardCharsets.US_ASCII);
    long seq = chunks;
    ByteBuffer header = ByteBuffer.allocate(8 + 4 + kindBytes.length + 4);
    header.putLong(seq).putInt(kindBytes.length).put(kindBytes).putInt(len);
    sha256.update(state);
    sha256.update(header.array());
    sha256.update(data, off, len);
    state = sha256.digest();
    chunks++;
    if (kind == OutputKind.STDOUT) {
      stdoutBytes += len;
    } else {
      stderrBytes += len;
    }
    return seq;
  }

  /** A copy of the current state. */
  public synchronized byte[] digest() {
    return state.clone();
  }

  /** Lowercase hex of the current state. */
  public synchronized String hex() {
    return HexFormat.of().formatHex(state);
  }

  /** Number of chunks folded in so far (also the next sequence number). */
  public synchronized long chunkCount() {
    return chunks;
  }

  /** The current state, chunk count and byte totals, taken atomically. */
  public synchronized OutputSummary summary() {
    return new OutputSummary(state, chunks, stdoutBytes, stderrBytes);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
