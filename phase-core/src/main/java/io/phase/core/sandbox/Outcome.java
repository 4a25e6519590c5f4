package io.phase.core.sandbox;

import io.phase.core.receipt.OutcomeKind;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a guest run ended. Every run ends in exactly one of these; {@link #exitCode} is present only
 * for {@link OutcomeKind#EXITED}.
 */
public record Outcome(OutcomeKind kind, Integer exitCode, String detail) {

  /** Longest detail kept; guest-controlled text (trap messages) is cut to this. */
  public static final int MAX_DETAIL_CHARS = 1024;

  public Outcome {
    Objects.requireNonNull(kind, "kind");
    if ((kind == OutcomeKind.EXITED) != (exitCode != null)) {
      throw new IllegalArgumentException("exit code is present exactly when the guest exited");
    }
    detail = sanitize(detail == null ? "" : detail);
  }

  public static Outcome exited(int code) {
    return new Outcome(OutcomeKind.EXITED, code, "");
  }

  public static Outcome of(OutcomeKind kind, String detail) {
    return new Outcome(kind, null, detail);
  }

  /** The exit code, when the guest exited. */
  public OptionalInt exit() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** True when the guest exited with status 0. */
  public boolean succeeded() {
    return kind == OutcomeKind.EXITED && exitCode == 0;
  }

  /** One line for people: "exited(0)", "timed_out: ..." */
  public String describe() {
    if (kind == OutcomeKind.EXITED) {
      return "exited(" + exitCode + ")";
    }
    return detail.isEmpty() ? kind.wireName() : kind.wireName() + ": " + detail;
  }

  /** Keeps details printable and bounded: they may come from the guest. */
  static String sanitize(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_DETAIL_CHARS));
    for (int i = 0; i < text.length() && out.length() < MAX_DETAIL_CHARS; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return out.toString();
  }
}
