package io.phase.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phase} command. */
@Command(
    name = "phase",
    mixinStandardHelpOptions = true,
    versionProvider = PhaseVersion.class,
    description =
        "Verifiable WebAssembly compute: run build steps in a sandbox and get signed receipts.",
    subcommands = {
      ExecCommand.class,
      VerifyCommand.class,
      IdCommand.class,
      NodeCommand.class,
      PingCommand.class,
      PeersCommand.class,
      RunCommand.class,
      DemoCommand.class,
      CompletionCommand.class
    })
public final class PhaseCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by main and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PhaseCommand());
    // Everything after MODULE belongs to the guest, even what looks like our options.
    cli.getSubcommands().get("exec").setStopAtPositional(true);
    cli.getSubcommands().get("run").setStopAtPositional(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof UserError user) {
            err.println("phase: " + user.getMessage());
            err.flush();
            return user.exitCode();
          }
          err.println("phase: internal error: " + e);
          e.printStackTrace(err);
          err.flush();
          return ExitCodes.PHASE_ERROR;
        });
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println("phase: " + e.getMessage());
          err.println(
              "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
          err.flush();
          Object command = failed.getCommand();
          return command instanceof GuestCommand ? ExitCodes.PHASE_ERROR : ExitCodes.USAGE;
        });
    return cli;
  }
}
