package io.phase.core.receipt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TranscriptTest {

  static byte[] sampleTranscript() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TranscriptWriter writer = new TranscriptWriter(bytes)) {
      writer.append(OutputKind.STDOUT, utf8("hello "), 0, 6);
      writer.append(OutputKind.STDERR, utf8("warn\n"), 0, 5);
      writer.append(OutputKind.STDOUT, utf8("xworld\n"), 1, 6);
      writer.flush();
    }
    return bytes.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Transcript read(byte[] bytes) throws IOException {
    return TranscriptReader.readAll(
        new ByteArrayInputStream(bytes), Transcript.MAX_LINE_BYTES, 1 << 20);
  }

  private static Transcript read(String text) throws IOException {
    return read(utf8(text));
  }

  @Test
  void writerAndReaderAgree() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputSummary written;
    try (TranscriptWriter writer = new TranscriptWriter(bytes)) {
      writer.append(OutputKind.STDOUT, utf8("hello "), 0, 6);
      writer.append(OutputKind.STDERR, utf8("warn\n"), 0, 5);
      writer.append(OutputKind.STDOUT, utf8("xworld\n"), 1, 6);
      written = writer.summary();
    }
    String text = bytes.toString(StandardCharsets.US_ASCII);
    assertTrue(text.startsWith("{\"seq\":0,\"kind\":\"stdout\",\"data\":\"aGVsbG8g\"}\n"), text);
    Transcript transcript = read(bytes.toByteArray());
    assertEquals(written, transcript.summary());
    assertEquals(3, transcript.chunks().size());
    assertArrayEquals(utf8("world\n"), transcript.chunks().get(2).data());
    assertEquals(OutputKind.STDERR, transcript.chunks().get(1).kind());
    assertEquals(6 + 6, written.stdoutBytes());
    assertEquals(5, written.stderrBytes());
    assertEquals(new OutputCommitment().summary(), read("").summary());
  }

  @Test
  void anyFlippedDataByteChangesTheReplay() throws IOException {
    byte[] original = sampleTranscript();
    OutputSummary expected = read(original).summary();
    String text = new String(original, StandardCharsets.US_ASCII);
    int flips = 0;
    for (int i = 0; i < original.length; i++) {
      byte[] copy = original.clone();
      copy[i] ^= 0x01;
      try {
        assertNotEquals(expected, read(copy).summary(), "byte " + i + " flipped in " + text);
        flips++;
      } catch (IllegalArgumentException rejected) {
        // the reader refused the damaged transcript: also a detection
      }
    }
    assertTrue(flips > 0, "some flips produce a parsable but different transcript");
  }

  @Test
  void dropReorderDuplicateAreRejected() throws IOException {
    String[] lines = new String(sampleTranscript(), StandardCharsets.US_ASCII).split("\n");
    assertThrows(IllegalArgumentException.class, () -> read(lines[0] + "\n" + lines[2] + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(lines[1] + "\n" + lines[0] + "\n"));
    assertThrows(
        IllegalArgumentException.class,
        () -> read(lines[0] + "\n" + lines[0] + "\n" + lines[1] + "\n"));
    // Dropping the last chunk parses but replays to a different summary.
    assertNotEquals(
        read(sampleTranscript()).summary(), read(lines[0] + "\n" + lines[1] + "\n").summary());
  }

  @Test
  void strictLines() {
    String ok = "{\"seq\":0,\"kind\":\"stdout\",\"data\":\"aGk=\"}";
    assertThrows(IllegalArgumentException.class, () -> read(ok));
    assertThrows(IllegalArgumentException.class, () -> read("\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace("stdout", "stdin") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace("aGk=", "aGk") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace("aGk=", "aG!=") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace("aGk=", "aGl=") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace("}", ",\"x\":1}") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace("\"seq\":0,", "") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace("0", "\"0\"") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read(ok.replace(":0", ":0.0") + "\n"));
    assertThrows(IllegalArgumentException.class, () -> read("[1]\n"));
  }

  @Test
  void capsAreEnforced() throws IOException {
    byte[] transcript = sampleTranscript();
    assertThrows(
        IllegalArgumentException.class,
        () -> TranscriptReader.readAll(new ByteArrayInputStream(transcript), 20, 1 << 20));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TranscriptReader.readAll(
                new ByteArrayInputStream(transcript), 1000, transcript.length - 1));
    TranscriptReader.readAll(new ByteArrayInputStream(transcript), 1000, transcript.length);
    try (TranscriptWriter writer = new TranscriptWriter(new ByteArrayOutputStream())) {
      byte[] big = new byte[Transcript.MAX_CHUNK_BYTES + 1];
      assertThrows(
          IllegalArgumentException.class,
          () -> writer.append(OutputKind.STDOUT, big, 0, big.length));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TranscriptWriter full = new TranscriptWriter(out)) {
        full.append(OutputKind.STDOUT, big, 0, Transcript.MAX_CHUNK_BYTES);
      }
      assertTrue(out.size() <= Transcript.MAX_LINE_BYTES + 1);
      assertEquals(
          1,
          TranscriptReader.readAll(
                  new ByteArrayInputStream(out.toByteArray()),
                  Transcript.MAX_LINE_BYTES + 1,
                  1 << 21)
              .chunks()
              .size());
    }
  }
}
