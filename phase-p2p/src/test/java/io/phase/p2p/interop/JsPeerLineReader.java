package io.phase.p2p.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads '\n'-terminated UTF-8 lines of at most {@code maxBytes} bytes from a js peer's stdout; a
 * longer line is an error, never an unbounded allocation.
 */
final class JsPeerLineReader {
  private final InputStream in;
  private final int maxBytes;
  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;

  JsPeerLineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line without its terminator, or null at end of stream. */
  String readLine() throws IOException {
    byte[] line = new byte[256];
    int length = 0;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return length == 0 ? null : decode(line, length);
        }
      }
      byte b = buffer[position++];
      if (b == '\n') {
        return decode(line, length);
      }
      if (length == maxBytes) {
        throw new IOException("js peer wrote a line longer than " + maxBytes + " bytes");
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
      }
      line[length++] = b;
    }
  }

  private static String decode(byte[] line, int length) {
    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    return new String(line, 0, end, StandardCharsets.UTF_8);
  }
}
