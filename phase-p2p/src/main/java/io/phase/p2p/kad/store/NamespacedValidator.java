package io.phase.p2p.kad.store;

import io.phase.p2p.kad.wire.KadMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Dispatches to a {@link RecordValidator} by the namespace of a key {@code /namespace/rest}: keys
 * without a namespace, with an empty remainder or with a namespace that has no validator are
 * rejected.
 */
public final class NamespacedValidator implements RecordValidator {

  /** Longest namespace accepted. */
  public static final int MAX_NAMESPACE_LENGTH = 64;

  private final Map<String, RecordValidator> validators;

  /** Creates a validator from namespace → validator (namespaces without slashes). */
  public NamespacedValidator(Map<String, RecordValidator> validators) {
    for (String ns : validators.keySet()) {
      if (ns.isEmpty() || ns.contains("/") || ns.length() > MAX_NAMESPACE_LENGTH) {
        throw new IllegalArgumentException("bad namespace: " + ns);
      }
    }
    this.validators = Map.copyOf(validators);
  }

  /** A validator accepting the {@code /pk/} namespace only. */
  public static NamespacedValidator withPublicKeys() {
    return new NamespacedValidator(Map.of("pk", new PublicKeyValidator()));
  }

  /**
   * The namespace of {@code key}, or {@code null} if the key is not {@code /ns/rest} with a
   * non-empty {@code ns} and {@code rest}.
   */
  static String namespace(byte[] key) {
    if (key.length < 3 || key[0] != '/') {
      return null;
    }
    for (int i = 1; i < key.length && i <= MAX_NAMESPACE_LENGTH + 1; i++) {
      if (key[i] == '/') {
        if (i == 1 || i == key.length - 1) {
          return null;
        }
        return new String(key, 1, i - 1, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private RecordValidator forKey(byte[] key) throws InvalidRecordException {
    String ns = namespace(key);
    if (ns == null) {
      throw new InvalidRecordException(
          "record key is not /namespace/...: " + KadMessage.printableKey(key));
    }
    RecordValidator v = validators.get(ns);
    if (v == null) {
      throw new InvalidRecordException("no validator for namespace " + ns);
    }
    return v;
  }

  @Override
  public void validate(byte[] key, byte[] value) throws InvalidRecordException {
    forKey(key).validate(key, value);
  }

  @Override
  public int select(byte[] key, List<byte[]> values) {
    RecordValidator v = validators.get(namespace(key));
    if (v == null) {
      return 0;
    }
    return v.select(key, values);
  }
}
