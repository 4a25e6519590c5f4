package io.phase.core.receipt;

import io.phase.p2p.text.PrintableText;

/** How a job ended, as results and receipts name it. */
public enum OutcomeKind {
  EXITED("exited"),
  TRAPPED("trapped"),
  TIMED_OUT("timed_out"),
  MEMORY_LIMIT("memory_limit"),
  OUTPUT_LIMIT("output_limit"),
  CANCELLED("cancelled"),
  INVALID_MODULE("invalid_module");

  private final String wireName;

  OutcomeKind(String wireName) {
    this.wireName = wireName;
  }

  /** The JSON spelling. */
  public String wireName() {
    return wireName;
  }

  public static OutcomeKind fromWireName(String name) {
    for (OutcomeKind o : values()) {
      if (o.wireName.equals(name)) {
        return o;
      }
    }
    throw Fields.malformed(
        "result.outcome is not a known outcome: \"" + PrintableText.printable(name) + "\"");
  }
}
