package io.phase.p2p.noise;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ChaCha20-Poly1305 {@link CipherState} runs. The system property {@value #PROPERTY} ({@code
 * jdk}, {@code own} or {@code auto}, the default) decides; {@code auto} takes ours ({@link
 * ChaCha20Poly1305}) on JDKs before 20, whose provider is pure Java and about half as fast, and the
 * JDK's from 20 on, where HotSpot intrinsifies it on x86 (several times faster than ours). Both
 * produce the same bytes; the choice is about speed only.
 */
enum AeadImplementation {
  /** The JDK provider, {@code Cipher.getInstance("ChaCha20-Poly1305")}. */
  JDK,
  /** Our {@link ChaCha20Poly1305}. */
  OWN;

  /** System property naming the implementation: {@code jdk}, {@code own} or {@code auto}. */
  static final String PROPERTY = "phase.noise.aead";

  /** First JDK feature release whose provider {@code auto} prefers. */
  static final int JDK_INTRINSIC_FEATURE = 20;

  private static final Logger LOG = LoggerFactory.getLogger(AeadImplementation.class);

  private static final AeadImplementation SELECTED = selectAndLog();

  /** The implementation this JVM uses, chosen once. */
  static AeadImplementation selected() {
    return SELECTED;
  }

  /** A cipher of this implementation under {@code key}. */
  NoiseAead create(byte[] key) {
    return this == JDK ? new JdkNoiseAead(key) : new OwnNoiseAead(key);
  }

  /**
   * The implementation for property value {@code property} (null when unset) on JDK feature release
   * {@code feature}.
   *
   * @throws IllegalArgumentException for a value other than jdk, own, auto or blank
   */
  static AeadImplementation select(String property, int feature) {
    String value = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "jdk" -> JDK;
      case "own" -> OWN;
      case "auto", "" -> feature < JDK_INTRINSIC_FEATURE ? OWN : JDK;
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " must be jdk, own or auto, not '" + property + "'");
    };
  }

  private static AeadImplementation selectAndLog() {
    String property = System.getProperty(PROPERTY);
    int feature = Runtime.version().feature();
    AeadImplementation chosen;
    try {
      chosen = select(property, feature);
    } catch (IllegalArgumentException e) {
      chosen = select(null, feature);
      LOG.warn(
          "noise_aead_property_invalid property={} value={} using={}", PROPERTY, property, chosen);
    }
    LOG.debug("noise_aead_selected impl={} jdk_feature={} property={}", chosen, feature, property);
    return chosen;
  }
}
