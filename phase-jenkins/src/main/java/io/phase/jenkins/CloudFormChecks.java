package io.phase.jenkins;

import io.phase.core.step.StepDefaults;
import java.util.List;
import java.util.Optional;

/**
 * The checks behind the Phase cloud's form fields, free of Jenkins types: each returns the one line
 * to show under the field, or empty when the value is fine.
 */
public final class CloudFormChecks {
  private CloudFormChecks() {}

  /** The bootstrap textarea: one multiaddr per line, each ending in {@code /p2p/<peer id>}. */
  public static Optional<String> bootstrap(String text) {
    return eachLine(text, "line", PhaseSettings::bootstrapProblem);
  }

  /** The listen address: blank (dial out only) or a TCP multiaddr without a peer id. */
  public static Optional<String> listen(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return PhaseSettings.listenProblem(text);
  }

  /** The allowed workers textarea: one peer id per line. */
  public static Optional<String> allowedWorkers(String text) {
    return eachLine(text, "line", PhaseSettings::peerIdProblem);
  }

  /**
   * A numeric field ({@code memoryMb}, {@code timeoutS}, {@code maxOutputMb}, {@code retries},
   * {@code discoveryTimeoutS}), checked against the same bounds as a step's own value.
   */
  public static Optional<String> limit(String field, String text) {
    long value;
    try {
      value = Long.parseLong(text == null ? "" : text.strip());
    } catch (NumberFormatException e) {
      return Optional.of(field + " must be a whole number");
    }
    StepDefaults base = StepDefaults.STANDARD;
    try {
      switch (field) {
        case "memoryMb" ->
            new StepDefaults(
                (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value)),
                base.timeoutSeconds(),
                base.maxOutputMb(),
                base.retries());
        case "timeoutS" ->
            new StepDefaults(base.memoryMb(), value, base.maxOutputMb(), base.retries());
        case "maxOutputMb" ->
            new StepDefaults(base.memoryMb(), base.timeoutSeconds(), value, base.retries());
        case "retries" ->
            new StepDefaults(
                base.memoryMb(),
                base.timeoutSeconds(),
                base.maxOutputMb(),
                (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value)));
        case "discoveryTimeoutS" -> {
          return PhaseSettings.discoveryTimeoutProblem(value).map(p -> field + " " + p);
        }
        default -> throw new IllegalArgumentException("unknown field " + field);
      }
    } catch (IllegalArgumentException e) {
      return Optional.of(PhaseSettings.oneLine(e));
    }
    return Optional.empty();
  }

  private interface Check {
    Optional<String> problem(String value);
  }

  private static Optional<String> eachLine(String text, String what, Check check) {
    List<String> lines;
    try {
      lines = TextLines.split(text);
    } catch (IllegalArgumentException e) {
      return Optional.of(PhaseSettings.oneLine(e));
    }
    for (int i = 0; i < lines.size(); i++) {
      Optional<String> problem = check.problem(lines.get(i));
      if (problem.isPresent()) {
        return Optional.of(PhaseSettings.printable(lines.get(i)) + ": " + problem.get());
      }
    }
    return Optional.empty();
  }
}
