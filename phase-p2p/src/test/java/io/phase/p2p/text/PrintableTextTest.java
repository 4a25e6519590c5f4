package io.phase.p2p.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrintableTextTest {
  @Test
  void controlAndNonAsciiCharactersAreShownAsQuestionMarks() {
    assertEquals("a?b?c?d", PrintableText.printable("a\nb\u001b[c\u00e9d".replace("[", "")));
    assertEquals("tab?end", PrintableText.printable("tab\tend"));
    assertEquals("with spaces \"ok\"", PrintableText.printable("with spaces \"ok\""));
  }

  @Test
  void longTextIsCutAndMarked() {
    String s = "x".repeat(100);
    assertEquals("x".repeat(64) + "...", PrintableText.printable(s));
    assertEquals("xxx...", PrintableText.printable(s, 3));
    assertEquals("x".repeat(64), PrintableText.printable("x".repeat(64)));
  }

  @Test
  void tokensCannotFakeFurtherLogFields() {
    assertEquals("job?peer=evil?x", PrintableText.token("job peer=evil\"x"));
  }

  @Test
  void nullAndBadBoundsAreHandled() {
    assertEquals("null", PrintableText.printable(null));
    assertThrows(IllegalArgumentException.class, () -> PrintableText.printable("a", 0));
  }
}
