package io.phase.core.discovery;

import io.phase.p2p.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DHT keys a worker provides: the capability string {@code /phase/capability/{arch}/wasm},
 * under two keys. The raw UTF-8 bytes of the string are what the earlier Rust implementation used;
 * js and go kad-dht servers only store provider records whose key decodes as a CID, so the string
 * is also provided under its sha2-256 multihash ({@code 0x12 0x20 || SHA-256}, a CIDv0). Clients
 * query both.
 */
public final class Capability {

  /** The architectures Phase workers run on (names as in {@code uname -m}). */
  public static final List<String> ARCHES = List.of("x86_64", "aarch64");

  private Capability() {}

  /** {@code /phase/capability/{arch}/wasm}. */
  public static String name(String arch) {
    requireArch(arch);
    return "/phase/capability/" + arch + "/wasm";
  }

  /** The raw key: the UTF-8 bytes of {@link #name}. */
  public static byte[] rawKey(String arch) {
    return name(arch).getBytes(StandardCharsets.UTF_8);
  }

  /** The CID-compatible key: the sha2-256 multihash of {@link #rawKey}. */
  public static byte[] multihashKey(String arch) {
    return Multihash.sha256(rawKey(arch)).toBytes();
  }

  /** Both keys, raw first. */
  public static List<byte[]> keys(String arch) {
    return List.of(rawKey(arch), multihashKey(arch));
  }

  /**
   * Maps a JVM {@code os.arch} value to a Phase arch: amd64/x86_64 → x86_64, aarch64/arm64 →
   * aarch64.
   */
  public static Optional<String> fromOsArch(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x64" -> Optional.of("x86_64");
      case "aarch64", "arm64" -> Optional.of("aarch64");
      default -> Optional.empty();
    };
  }

  /**
   * The arch of this JVM.
   *
   * @throws IllegalStateException on an architecture Phase does not support
   */
  public static String localArch() {
    String osArch = System.getProperty("os.arch", "");
    return fromOsArch(osArch)
        .orElseThrow(
            () -> new IllegalStateException("unsupported CPU architecture os.arch=" + osArch));
  }

  /** Throws unless {@code arch} is one of {@link #ARCHES}. */
  public static String requireArch(String arch) {
    if (!ARCHES.contains(arch)) {
      throw new IllegalArgumentException("arch must be one of " + ARCHES + ": " + arch);
    }
    return arch;
  }
}
