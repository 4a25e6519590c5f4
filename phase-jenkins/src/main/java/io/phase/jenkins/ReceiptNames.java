package io.phase.jenkins;

import java.util.OptionalInt;

/**
 * How a build's step directories and receipt downloads are named: step {@code n} (counting the
 * build's {@code phaseRun} calls from 1) lives in {@code <build>/phase/<n>/} and its receipt is
 * served as {@code <n>.json}. {@link #parse} accepts only those names, so a request cannot name any
 * other file.
 */
public final class ReceiptNames {
  /** The most {@code phaseRun} steps one build may run. */
  public static final int MAX_STEPS = 10_000;

  /** The folder under the build's directory that holds the step directories. */
  public static final String FOLDER = "phase";

  private ReceiptNames() {}

  /** {@code <n>.json}. */
  public static String fileName(int step) {
    return step + ".json";
  }

  /**
   * The step number in {@code name} ({@code 7} or {@code 7.json}); empty for anything else (leading
   * zeros, signs, separators, out of range).
   */
  public static OptionalInt parse(String name) {
    if (name == null) {
      return OptionalInt.empty();
    }
    String digits = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    if (digits.isEmpty() || digits.length() > 5 || digits.charAt(0) == '0') {
      return OptionalInt.empty();
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalInt.empty();
      }
    }
    int step = Integer.parseInt(digits);
    return step <= MAX_STEPS ? OptionalInt.of(step) : OptionalInt.empty();
  }
}
