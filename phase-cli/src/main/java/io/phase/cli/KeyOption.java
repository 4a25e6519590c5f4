package io.phase.cli;

import io.phase.core.identity.KeyFileException;
import io.phase.core.identity.NodeKey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --key FILE}: the node key, created on first use. */
final class KeyOption {
  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "Ed25519 node key (created with mode 0600 if missing). Default: ${DEFAULT-VALUE}")
  Path keyFile = NodeKey.defaultPath();

  NodeKey loadOrCreate(int exitCode) {
    try {
      return NodeKey.loadOrCreate(keyFile);
    } catch (KeyFileException e) {
      throw new UserError(exitCode, e.getMessage());
    }
  }
}
