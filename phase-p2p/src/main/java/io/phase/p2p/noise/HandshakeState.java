package io.phase.p2p.noise;

import java.util.Arrays;

/**
 * Noise HandshakeState for the XX pattern with 25519, ChaChaPoly and SHA-256.
 *
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * Call {@link #writeMessage} and {@link #readMessage} alternately in pattern order, then {@link
 * #split}. Not thread-safe.
 */
public final class HandshakeState {
  /** The full Noise protocol name. */
  public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

  private static final int DH_LEN = X25519.KEY_LENGTH;
  private static final int ENCRYPTED_KEY_LEN = DH_LEN + CipherState.TAG_LENGTH;

  private final boolean initiator;
  private final SymmetricState symmetric;
  private final X25519.KeyPair localStatic;
  private X25519.KeyPair localEphemeral;
  private byte[] remoteStatic;
  private byte[] remoteEphemeral;
  private int step;

  /**
   * @param initiator whether this side sends the first message
   * @param localStatic this side's static X25519 key pair
   * @param prologue data both sides must agree on (libp2p uses an empty prologue)
   */
  public HandshakeState(boolean initiator, X25519.KeyPair localStatic, byte[] prologue) {
    this(initiator, localStatic, null, prologue);
  }

  /** As above with a fixed ephemeral key pair; for deterministic tests only. */
  HandshakeState(
      boolean initiator, X25519.KeyPair localStatic, X25519.KeyPair ephemeral, byte[] prologue) {
    this.initiator = initiator;
    this.localStatic = localStatic;
    this.localEphemeral = ephemeral;
    this.symmetric = new SymmetricState(PROTOCOL_NAME);
    symmetric.mixHash(prologue);
  }

  /** Whether all three messages have been processed. */
  public boolean isComplete() {
    return step == 3;
  }

  /** Whether the next operation is a write on this side. */
  public boolean isMyTurn() {
    return step < 3 && ((step % 2 == 0) == initiator);
  }

  /** The peer's static public key, once received. */
  public byte[] remoteStaticKey() {
    return remoteStatic == null ? null : remoteStatic.clone();
  }

  /** The handshake hash (channel binding value). */
  public byte[] handshakeHash() {
    return symmetric.handshakeHash();
  }

  /** Writes the next handshake message carrying {@code payload}. */
  public byte[] writeMessage(byte[] payload) throws NoiseException {
    if (!isMyTurn()) {
      throw new IllegalStateException("not this side's turn to write (step " + step + ")");
    }
    byte[] out;
    switch (step) {
      case 0 -> {
        ensureEphemeral();
        symmetric.mixHash(localEphemeral.publicKey());
        out = concat(localEphemeral.publicKey(), symmetric.encryptAndHash(payload));
      }
      case 1 -> {
        ensureEphemeral();
        symmetric.mixHash(localEphemeral.publicKey());
        symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteEphemeral));
        byte[] s = symmetric.encryptAndHash(localStatic.publicKey());
        symmetric.mixKey(X25519.dh(localStatic.privateKey(), remoteEphemeral));
        out = concat(localEphemeral.publicKey(), s, symmetric.encryptAndHash(payload));
      }
      default -> {
        byte[] s = symmetric.encryptAndHash(localStatic.publicKey());
        symmetric.mixKey(X25519.dh(localStatic.privateKey(), remoteEphemeral));
        out = concat(s, symmetric.encryptAndHash(payload));
      }
    }
    step++;
    return out;
  }

  /**
   * Reads the next handshake message and returns its payload.
   *
   * @throws NoiseException if the message is malformed or fails authentication
   */
  public byte[] readMessage(byte[] message) throws NoiseException {
    if (step >= 3 || isMyTurn()) {
      throw new IllegalStateException("not this side's turn to read (step " + step + ")");
    }
    byte[] payload;
    switch (step) {
      case 0 -> {
        require(message, DH_LEN, 1);
        remoteEphemeral = Arrays.copyOfRange(message, 0, DH_LEN);
        symmetric.mixHash(remoteEphemeral);
        payload = symmetric.decryptAndHash(Arrays.copyOfRange(message, DH_LEN, message.length));
      }
      case 1 -> {
        require(message, DH_LEN + ENCRYPTED_KEY_LEN + CipherState.TAG_LENGTH, 2);
        remoteEphemeral = Arrays.copyOfRange(message, 0, DH_LEN);
        symmetric.mixHash(remoteEphemeral);
        symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteEphemeral));
        remoteStatic =
            symmetric.decryptAndHash(
                Arrays.copyOfRange(message, DH_LEN, DH_LEN + ENCRYPTED_KEY_LEN));
        symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteStatic));
        payload =
            symmetric.decryptAndHash(
                Arrays.copyOfRange(message, DH_LEN + ENCRYPTED_KEY_LEN, message.length));
      }
      default -> {
        require(message, ENCRYPTED_KEY_LEN + CipherState.TAG_LENGTH, 3);
        remoteStatic = symmetric.decryptAndHash(Arrays.copyOfRange(message, 0, ENCRYPTED_KEY_LEN));
        symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteStatic));
        payload =
            symmetric.decryptAndHash(
                Arrays.copyOfRange(message, ENCRYPTED_KEY_LEN, message.length));
      }
    }
    step++;
    return payload;
  }

  /**
   * Splits into transport cipher states after the handshake: index 0 encrypts what this side sends,
   * index 1 decrypts what it receives.
   */
  public CipherState[] split() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    CipherState[] pair = symmetric.split();
    return initiator ? pair : new CipherState[] {pair[1], pair[0]};
  }

  private void ensureEphemeral() {
    if (localEphemeral == null) {
      localEphemeral = X25519.generate();
    }
  }

  private static void require(byte[] message, int min, int number) throws NoiseException {
    if (message.length < min) {
      throw new NoiseException(
          "handshake message " + number + " too short: " + message.length + " < " + min);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
