package io.phase.core.receipt;

/** The stream an output chunk came from; {@link #wireName()} is what the commitment hashes. */
public enum OutputKind {
  STDOUT("stdout"),
  STDERR("stderr");

  private final String wireName;

  OutputKind(String wireName) {
    this.wireName = wireName;
  }

  /** {@code "stdout"} or {@code "stderr"}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The kind named {@code name}.
   *
   * @throws IllegalArgumentException if it is neither {@code "stdout"} nor {@code "stderr"}
   */
  public static OutputKind fromWireName(String name) {
    for (OutputKind kind : values()) {
      if (kind.wireName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("output kind must be \"stdout\" or \"stderr\"");
  }
}
