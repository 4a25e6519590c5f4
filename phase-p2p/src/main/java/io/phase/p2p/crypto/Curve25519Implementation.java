package io.phase.p2p.crypto;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Curve25519 arithmetic runs X25519 (Noise) and Ed25519 (identity keys). The system property
 * {@value #PROPERTY} ({@code own}, the default, or {@code jdk}) decides once per JVM. Both produce
 * the same bytes and accept and reject the same inputs; {@code own} ({@link Curve25519}, {@link
 * Ed25519}) is several times faster than the JDK 17 provider, {@code jdk} is there for comparison.
 */
public enum Curve25519Implementation {
  /** The JDK providers: {@code XDH} and {@code Ed25519}. */
  JDK,
  /** Our {@link Curve25519} and Ed25519 code. */
  OWN;

  /** System property naming the implementation: {@code own} or {@code jdk}. */
  public static final String PROPERTY = "phase.curve25519";

  private static final Logger LOG = LoggerFactory.getLogger(Curve25519Implementation.class);

  private static final Curve25519Implementation SELECTED = selectAndLog();

  /** The implementation this JVM uses, chosen once from {@value #PROPERTY}. */
  public static Curve25519Implementation selected() {
    return SELECTED;
  }

  /**
   * The implementation for property value {@code property} (null when unset).
   *
   * @throws IllegalArgumentException for a value other than own, jdk or blank
   */
  static Curve25519Implementation select(String property) {
    String value = property == null ? "own" : property.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "own", "" -> OWN;
      case "jdk" -> JDK;
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " must be own or jdk, not '" + property + "'");
    };
  }

  private static Curve25519Implementation selectAndLog() {
    String property = System.getProperty(PROPERTY);
    Curve25519Implementation chosen;
    try {
      chosen = select(property);
    } catch (IllegalArgumentException e) {
      chosen = OWN;
      LOG.warn(
          "curve25519_property_invalid property={} value={} using={}", PROPERTY, property, chosen);
    }
    LOG.debug("curve25519_selected impl={} property={}", chosen, property);
    return chosen;
  }
}
