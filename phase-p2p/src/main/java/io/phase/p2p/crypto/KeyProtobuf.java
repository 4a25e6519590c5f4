package io.phase.p2p.crypto;

import java.util.Arrays;

/**
 * Encoder and strict decoder for the libp2p key protobuf {@code {KeyType Type = 1; bytes Data =
 * 2;}}, shared by the {@code PublicKey} and {@code PrivateKey} messages.
 *
 * <p>Only the canonical encoding is accepted: field 1 then field 2, each exactly once, single-byte
 * lengths (keys are shorter than 128 bytes) and nothing after.
 */
final class KeyProtobuf {

  static final int KEY_TYPE_RSA = 0;
  static final int KEY_TYPE_ED25519 = 1;
  static final int KEY_TYPE_SECP256K1 = 2;
  static final int KEY_TYPE_ECDSA = 3;

  private static final int TAG_TYPE = 0x08; // field 1, varint
  private static final int TAG_DATA = 0x12; // field 2, length-delimited

  private KeyProtobuf() {}

  static byte[] encode(int keyType, byte[] data) {
    if (data.length > 127) {
      throw new IllegalArgumentException("key data too long for this encoder: " + data.length);
    }
    byte[] out = new byte[4 + data.length];
    out[0] = TAG_TYPE;
    out[1] = (byte) keyType;
    out[2] = TAG_DATA;
    out[3] = (byte) data.length;
    System.arraycopy(data, 0, out, 4, data.length);
    return out;
  }

  /**
   * Decodes a key message whose type must be Ed25519 and whose data must be {@code dataLength}
   * bytes long.
   *
   * @param what "public key" or "private key", for messages
   */
  static byte[] decodeEd25519(byte[] bytes, int dataLength, String what) {
    if (bytes.length < 2) {
      throw new IllegalArgumentException(what + " protobuf truncated: " + bytes.length + " bytes");
    }
    if ((bytes[0] & 0xff) != TAG_TYPE) {
      throw new IllegalArgumentException(
          what + " protobuf must start with the Type field (0x08), got 0x" + hex(bytes[0]));
    }
    int type = bytes[1] & 0xff;
    if (type != KEY_TYPE_ED25519) {
      throw new IllegalArgumentException(
          "unsupported " + what + " type " + typeName(type) + ": only Ed25519 is supported");
    }
    if (bytes.length < 4) {
      throw new IllegalArgumentException(what + " protobuf truncated: " + bytes.length + " bytes");
    }
    if ((bytes[2] & 0xff) != TAG_DATA) {
      throw new IllegalArgumentException(
          what + " protobuf: expected the Data field (0x12), got 0x" + hex(bytes[2]));
    }
    int length = bytes[3] & 0xff;
    if (length != dataLength) {
      throw new IllegalArgumentException(
          "Ed25519 " + what + " data must be " + dataLength + " bytes, got length " + length);
    }
    if (bytes.length != 4 + dataLength) {
      throw new IllegalArgumentException(
          what
              + " protobuf must be exactly "
              + (4 + dataLength)
              + " bytes, got "
              + bytes.length
              + (bytes.length > 4 + dataLength ? " (trailing bytes)" : " (truncated)"));
    }
    return Arrays.copyOfRange(bytes, 4, bytes.length);
  }

  private static String typeName(int type) {
    return switch (type) {
      case KEY_TYPE_RSA -> "RSA";
      case KEY_TYPE_SECP256K1 -> "Secp256k1";
      case KEY_TYPE_ECDSA -> "ECDSA";
      default -> "0x" + Integer.toHexString(type);
    };
  }

  private static String hex(byte b) {
    return String.format("%02x", b & 0xff);
  }
}
