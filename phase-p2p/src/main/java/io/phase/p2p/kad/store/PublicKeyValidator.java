package io.phase.p2p.kad.store;

import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.peer.PeerId;
import java.util.Arrays;
import java.util.List;

/**
 * Validator of the {@code /pk/} namespace: key {@code "/pk/" || binary peer id}, value the
 * protobuf-encoded public key whose peer id that is. Only Ed25519 keys are supported.
 */
public final class PublicKeyValidator implements RecordValidator {

  private static final int PREFIX_LENGTH = 4; // "/pk/"

  @Override
  public void validate(byte[] key, byte[] value) throws InvalidRecordException {
    if (key.length <= PREFIX_LENGTH
        || key[0] != '/'
        || key[1] != 'p'
        || key[2] != 'k'
        || key[3] != '/') {
      throw new InvalidRecordException("public key record key must start with /pk/");
    }
    Ed25519PublicKey publicKey;
    try {
      publicKey = Ed25519PublicKey.unmarshal(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("public key record value: " + e.getMessage());
    }
    byte[] expected = PeerId.fromPublicKey(publicKey).toBytes();
    if (!Arrays.equals(expected, Arrays.copyOfRange(key, PREFIX_LENGTH, key.length))) {
      throw new InvalidRecordException("public key does not match the peer id in the key");
    }
  }

  /** All valid values for a key are the same key, so the first is as good as any. */
  @Override
  public int select(byte[] key, List<byte[]> values) {
    return 0;
  }
}
