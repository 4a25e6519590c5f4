package io.phase.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import io.phase.core.json.Json;
import io.phase.p2p.text.PrintableText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads and validates a transcript: every line is {@code {"seq","kind","data"}} and nothing else,
 * {@code seq} runs 0, 1, 2… without gaps, kinds are {@code stdout}/{@code stderr}, base64 is
 * canonical, every line ends in {@code \n}, and the caller's line-length and total-size caps hold.
 * The chunks are replayed into an {@link OutputCommitment}.
 */
public final class TranscriptReader {

  private TranscriptReader() {}

  /**
   * Reads a whole transcript into memory (bounded by {@code maxTotalBytes}).
   *
   * @throws IllegalArgumentException if the transcript is invalid or exceeds a cap
   * @throws IOException if reading fails
   */
  public static Transcript readAll(InputStream in, int maxLineBytes, long maxTotalBytes)
      throws IOException {
    List<OutputChunk> chunks = new ArrayList<>();
    OutputSummary summary = replay(in, maxLineBytes, maxTotalBytes, chunks::add);
    return new Transcript(chunks, summary);
  }

  /**
   * Streams a transcript, handing each validated chunk to {@code sink} in order, and returns the
   * replayed summary.
   *
   * @throws IllegalArgumentException if the transcript is invalid or exceeds a cap
   * @throws IOException if reading fails
   */
  public static OutputSummary replay(
      InputStream in, int maxLineBytes, long maxTotalBytes, Consumer<OutputChunk> sink)
      throws IOException {
    if (maxLineBytes <= 0 || maxTotalBytes < 0) {
      throw new IllegalArgumentException("caps must be positive");
    }
    OutputCommitment commitment = new OutputCommitment();
    long total = 0;
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int lineNumber = 1;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > maxTotalBytes) {
        throw new IllegalArgumentException("transcript larger than " + maxTotalBytes + " bytes");
      }
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          appendBounded(line, buffer, start, i - start, maxLineBytes, lineNumber);
          OutputChunk chunk = parseLine(line.toByteArray(), lineNumber, commitment.chunkCount());
          commitment.append(chunk.kind(), chunk.data(), 0, chunk.data().length);
          sink.accept(chunk);
          line.reset();
          lineNumber++;
          start = i + 1;
        }
      }
      appendBounded(line, buffer, start, n - start, maxLineBytes, lineNumber);
    }
    if (line.size() > 0) {
      throw new IllegalArgumentException(
          "transcript line " + lineNumber + " is truncated (no final newline)");
    }
    return commitment.summary();
  }

  private static void appendBounded(
      ByteArrayOutputStream line,
      byte[] buffer,
      int off,
      int len,
      int maxLineBytes,
      int lineNumber) {
    if ((long) line.size() + len > maxLineBytes) {
      throw new IllegalArgumentException(
          "transcript line " + lineNumber + " longer than " + maxLineBytes + " bytes");
    }
    line.write(buffer, off, len);
  }

  private static OutputChunk parseLine(byte[] bytes, int lineNumber, long expectedSeq) {
    try {
      JsonNode node = Json.parse(bytes, bytes.length);
      if (!node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!name.equals("seq") && !name.equals("kind") && !name.equals("data")) {
          throw new IllegalArgumentException(
              "unknown field \"" + PrintableText.printable(name) + "\"");
        }
      }
      JsonNode seqNode = node.get("seq");
      if (seqNode == null || !seqNode.isIntegralNumber() || !seqNode.canConvertToLong()) {
        throw new IllegalArgumentException("seq must be an integer");
      }
      long seq = seqNode.longValue();
      if (seq != expectedSeq) {
        throw new IllegalArgumentException("seq " + seq + " out of order, expected " + expectedSeq);
      }
      JsonNode kindNode = node.get("kind");
      if (kindNode == null || !kindNode.isTextual()) {
        throw new IllegalArgumentException("kind must be a string");
      }
      OutputKind kind = OutputKind.fromWireName(kindNode.textValue());
      JsonNode dataNode = node.get("data");
      if (dataNode == null || !dataNode.isTextual()) {
        throw new IllegalArgumentException("data must be a base64 string");
      }
      byte[] data = decodeCanonicalBase64(dataNode.textValue());
      if (data.length > Transcript.MAX_CHUNK_BYTES) {
        throw new IllegalArgumentException(
            "chunk of " + data.length + " bytes exceeds " + Transcript.MAX_CHUNK_BYTES);
      }
      return new OutputChunk(seq, kind, data);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "transcript line " + lineNumber + ": " + e.getMessage(), e);
    }
  }

  private static byte[] decodeCanonicalBase64(String text) {
    byte[] data;
    try {
      data = Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("data is not valid base64", e);
    }
    if (!Base64.getEncoder().encodeToString(data).equals(text)) {
      throw new IllegalArgumentException("data is not canonical padded base64");
    }
    return data;
  }
}
