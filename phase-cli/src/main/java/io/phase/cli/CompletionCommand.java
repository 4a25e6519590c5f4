package io.phase.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code phase completion bash|zsh}: the shell completion script for every command and option,
 * generated from the command model by picocli's {@link AutoComplete}. The Debian package installs
 * its output; elsewhere {@code source <(phase completion bash)}.
 */
@Command(
    name = "completion",
    description = {
      "Print the shell completion script for bash or zsh.",
      "bash: source <(phase completion bash)   (or save it as",
      "      /usr/share/bash-completion/completions/phase)",
      "zsh:  phase completion zsh > \"${fpath[1]}/_phase\"   (then restart zsh)"
    },
    mixinStandardHelpOptions = true)
final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SHELL",
      description = "bash or zsh",
      completionCandidates = Shells.class)
  String shell;

  /** The shells completion is generated for (and completed as this command's argument). */
  static final class Shells extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Shells() {
      super(java.util.List.of("bash", "zsh"));
    }
  }

  @Override
  public Integer call() {
    String script = script(shell, spec.root().commandLine());
    CommandLine out = spec.commandLine();
    out.getOut().print(script);
    out.getOut().flush();
    return 0;
  }

  /** The script for {@code shell}; zsh's is picocli's bash script run by zsh's bashcompinit. */
  static String script(String shell, CommandLine root) {
    // Sourced, never run: no #! line (completion directories hold plain scripts).
    String bash = AutoComplete.bash("phase", root).replaceFirst("\\A#![^\n]*\n", "");
    return switch (shell.toLowerCase(Locale.ROOT)) {
      case "bash" -> bash;
      case "zsh" -> zsh(bash);
      default -> throw new UserError(ExitCodes.USAGE, "completion: SHELL must be bash or zsh");
    };
  }

  /**
   * A zsh completion function file: zsh autoloads {@code _phase} from {@code $fpath} on the first
   * completion of {@code phase}; its body loads bashcompinit, defines picocli's functions, whose
   * {@code complete -F} registers them for later completions, and completes this first one.
   */
  private static String zsh(String bash) {
    return "#compdef phase\n"
        + "# zsh completion for phase: picocli's bash completion through zsh's bashcompinit.\n"
        + "autoload -U +X bashcompinit && bashcompinit\n"
        // zsh has no compopt; the script's `alias compopt=complete` comes too late for the
        // functions of an autoloaded file, which zsh parses before running any of it.
        + "(( $+functions[compopt] )) || compopt() { return 0; }\n"
        + bash
        + "\n_bash_complete -o default -F _complete_phase \"$@\"\n";
  }
}
