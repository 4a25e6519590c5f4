package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phase completion bash|zsh}: scripts generated from the command model that a real bash
 * completes with (subcommands, a subcommand's options).
 */
class CompletionIT {
  @TempDir Path dir;

  /** What bash's completion function offers for {@code words} (the last one being completed). */
  private static String complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    String program =
        "source '"
            + script
            + "' 2>/dev/null; COMP_WORDS=("
            + line
            + "); COMP_CWORD="
            + (words.length - 1)
            + "; COMP_LINE='"
            + line
            + "'; COMP_POINT=${#COMP_LINE}; _complete_phase 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    Process bash = new ProcessBuilder("bash", "--norc", "-c", program).start();
    assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
    return new String(bash.getInputStream().readAllBytes()).trim();
  }

  @Test
  void bashAndZshScriptsCompleteCommandsAndOptions() throws Exception {
    PhaseRunner phase = new PhaseRunner(dir);
    var bash = phase.run("completion", "bash").assertExit(0);
    Path script = dir.resolve("phase.bash");
    Files.write(script, bash.stdoutBytes());
    assertEquals("run", complete(script, "phase", "ru"));
    assertEquals("completion", complete(script, "phase", "compl"));
    assertEquals("--max-jobs", complete(script, "phase", "node", "--max-j"));
    assertTrue(
        List.of(complete(script, "phase", "run", "--")).toString().contains("--progress"),
        "run's options include --progress");

    var zsh = phase.run("completion", "zsh").assertExit(0);
    assertTrue(zsh.stdout().startsWith("#compdef phase\n"), zsh::describe);
    assertTrue(zsh.stdout().contains("bashcompinit"), zsh::describe);
    assertTrue(zsh.stdout().contains(bash.stdout()), "the same completion, through bashcompinit");

    phase.run("completion", "fish").assertPhaseError(2, "completion: SHELL must be bash or zsh");
  }
}
