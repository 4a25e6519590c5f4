package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void liveRedrawsOneLineInPlaceAndErasesItBeforeOtherLines() {
    StatusLine live = new StatusLine(StatusLine.Mode.LIVE, err, nanos::get);
    live.show("joining", false);
    live.show("uploading 1", true); // too soon after the last redraw: skipped
    nanos.addAndGet(150_000_000L);
    live.show("uploading 2", true);
    live.show("running", false); // states always show
    live.println("phase: receipt verified");
    live.clear(); // nothing shown any more: writes nothing
    assertEquals(
        "\r\033[Kphase: joining\r\033[Kphase: uploading 2\r\033[Kphase: running\r\033[K"
            + "phase: receipt verified"
            + System.lineSeparator(),
        written());
  }

  @Test
  void liveStaysAwayOnceTheGuestWrites() {
    StatusLine live = new StatusLine(StatusLine.Mode.LIVE, err, nanos::get);
    live.show("running", false);
    live.outputStarts();
    err.print("half a guest line");
    live.show("uploading to another worker", false);
    live.println("phase: attempt failed");
    assertEquals(
        "\r\033[Kphase: running\r\033[Khalf a guest line"
            + "phase: attempt failed"
            + System.lineSeparator(),
        written());
  }

  @Test
  void liveCutsLongLinesSoTheyNeverWrap() {
    StatusLine live = new StatusLine(StatusLine.Mode.LIVE, err, nanos::get);
    live.show("x".repeat(200), false);
    assertEquals("\r\033[K".length() + StatusLine.MAX_LIVE_CHARS, written().length());
    assertEquals("...", written().substring(written().length() - 3));
  }

  @Test
  void linesModeWritesEachStateOnceAndThinsUploadsToOneASecond() {
    StatusLine lines = new StatusLine(StatusLine.Mode.LINES, err, nanos::get);
    lines.show("found 1 worker", false);
    lines.show("found 1 worker", false);
    lines.show("uploading 10%", true);
    nanos.addAndGet(500_000_000L);
    lines.show("uploading 50%", true);
    nanos.addAndGet(600_000_000L);
    lines.show("uploading 90%", true);
    lines.show("uploading 100%", false);
    lines.clear();
    String n = System.lineSeparator();
    assertEquals(
        "phase: found 1 worker" + n + "phase: uploading 90%" + n + "phase: uploading 100%" + n,
        written());
  }

  @Test
  void offWritesOnlyPermanentLines() {
    StatusLine off = new StatusLine(StatusLine.Mode.OFF, err, nanos::get);
    off.show("joining", false);
    off.println("phase: dispatched");
    assertEquals("phase: dispatched" + System.lineSeparator(), written());
  }

  @Test
  void sizesReadAsAPersonWould() {
    assertEquals("512 B", ProgressText.size(512));
    assertEquals("37.5 KiB", ProgressText.size(38_400));
    assertEquals("12.0 MiB", ProgressText.size(12L << 20));
    assertEquals("1.25 GiB", ProgressText.size(5L << 28));
  }
}
