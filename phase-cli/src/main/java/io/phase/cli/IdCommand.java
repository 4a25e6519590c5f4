package io.phase.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code phase id}: print this node's PeerId, creating its key on first use. */
@Command(
    name = "id",
    description = "Print this node's PeerId (the key is created, mode 0600, if missing).",
    mixinStandardHelpOptions = true)
final class IdCommand implements Callable<Integer> {
  @Mixin KeyOption key;

  @Override
  public Integer call() {
    System.out.println(key.loadOrCreate(ExitCodes.USAGE).peerId());
    return 0;
  }
}
