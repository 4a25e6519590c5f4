package io.phase.jenkins;

import java.util.ArrayList;
import java.util.List;

/**
 * A web form's textarea as a list of values, one per line: lines are stripped, blank lines and
 * lines starting with {@code #} are skipped. What the cloud's {@code bootstrapText} and {@code
 * allowedWorkersText} fields bind to.
 */
public final class TextLines {
  /** The most values a textarea may hold (and a list setting may have). */
  public static final int MAX_LINES = 256;

  private TextLines() {}

  /**
   * The values in {@code text}, in order.
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_LINES}
   */
  public static List<String> split(String text) {
    List<String> values = new ArrayList<>();
    if (text == null) {
      return values;
    }
    for (String line : text.split("\\R", -1)) {
      String value = line.strip();
      if (value.isEmpty() || value.startsWith("#")) {
        continue;
      }
      if (values.size() == MAX_LINES) {
        throw new IllegalArgumentException("at most " + MAX_LINES + " lines");
      }
      values.add(value);
    }
    return values;
  }

  /** The values of a list setting, stripped, blank ones dropped (as {@link #split} gives them). */
  public static List<String> clean(List<String> values) {
    List<String> out = new ArrayList<>();
    if (values == null) {
      return out;
    }
    for (String value : values) {
      if (value == null || value.isBlank()) {
        continue;
      }
      if (out.size() == MAX_LINES) {
        throw new IllegalArgumentException("at most " + MAX_LINES + " values");
      }
      out.add(value.strip());
    }
    return out;
  }

  /** The values one per line, for the textarea. */
  public static String join(List<String> values) {
    return values == null ? "" : String.join("\n", values);
  }
}
