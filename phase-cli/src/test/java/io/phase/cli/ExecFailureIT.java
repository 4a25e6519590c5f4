package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every reserved exit status of {@code phase exec}: the status, exactly one {@code phase: ...} line
 * on stderr saying why, and no Java stack trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecFailureIT {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} for {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "124 | wall-clock limit of 1 s         | --timeout-s 1 @loop.wasm",
        "126 | no _start                       | @nostart.wasm",
        "126 | not a WebAssembly module        | @notwasm.wasm",
        "126 | malformed module                | @truncated.wasm",
        "126 | no_such_function                | @unknown-import.wasm",
        "127 | does not exist                  | no-such-module.wasm",
        "134 | trapped                         | @recursion.wasm",
        "137 | memory limit of 32 MiB          | --memory-mb 32 @membomb.wasm",
        "141 | output exceeded the limit       | --max-output-mb 1 @flood.wasm",
        "125 | Unknown option: '--bogus'       | --bogus @io.wasm echo-args",
        "125 | --env expects K=V, got 'NOVALUE' | --env NOVALUE @io.wasm echo-args",
        "125 | --stdin file missing.txt does not exist | --stdin missing.txt @io.wasm cat",
        "125 | cannot read --stdin file a-directory    | --stdin a-directory @io.wasm cat",
      })
  void reservedStatus(int status, String fragment, String commandLine) throws Exception {
    Files.createDirectory(dir.resolve("a-directory"));
    List<String> args = new ArrayList<>(List.of("exec", "--key", dir.resolve("k").toString()));
    for (String word : commandLine.split(" ")) {
      args.add(word.startsWith("@") ? PhaseRunner.fixtureArg(word.substring(1)) : word);
    }
    var run = new PhaseRunner(dir).run(args.toArray(String[]::new));
    run.assertPhaseError(status, fragment);
    if (status == ExitCodes.PHASE_ERROR
        || status >= ExitCodes.INVALID_MODULE && status <= ExitCodes.MODULE_NOT_FOUND) {
      assertEquals("", run.stdout(), "the guest must not have run");
    }
  }
}
