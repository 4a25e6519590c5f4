package io.phase.core.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed WASM fixtures (fixtures/wasm), found through the build's system property. */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    String dir = System.getProperty("phase.fixtures.dir");
    if (dir == null) {
      throw new IllegalStateException("system property phase.fixtures.dir is not set");
    }
    return Path.of(dir);
  }

  public static Path path(String name) {
    return dir().resolve(name);
  }

  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
