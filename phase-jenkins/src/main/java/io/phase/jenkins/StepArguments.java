package io.phase.jenkins;

import java.util.LinkedHashMap;
import java.util.Map;

/** Checks of {@code phaseRun} arguments that Pipeline's data binding does not do. */
public final class StepArguments {
  /** The most environment entries a step may set. */
  public static final int MAX_ENV = 1024;

  private StepArguments() {}

  /**
   * The {@code env} argument as a map of strings: null for none; keys must be strings, values
   * strings (Groovy's interpolated strings count as strings).
   *
   * @throws IllegalArgumentException with one line naming the bad entry
   */
  public static Map<String, String> env(Object value) {
    Map<String, String> env = new LinkedHashMap<>();
    if (value == null) {
      return env;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "phaseRun: env must be a map of strings, e.g. env: [NAME: 'value']");
    }
    if (map.size() > MAX_ENV) {
      throw new IllegalArgumentException("phaseRun: env has more than " + MAX_ENV + " entries");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof CharSequence key) || key.length() == 0) {
        throw new IllegalArgumentException(
            "phaseRun: env names must be non-empty strings, not " + describe(e.getKey()));
      }
      if (!(e.getValue() instanceof CharSequence v)) {
        throw new IllegalArgumentException(
            "phaseRun: env value of "
                + PhaseSettings.printable(key.toString())
                + " must be a string, not "
                + describe(e.getValue()));
      }
      env.put(key.toString(), v.toString());
    }
    return env;
  }

  private static String describe(Object o) {
    return o == null ? "null" : o.getClass().getSimpleName();
  }
}
