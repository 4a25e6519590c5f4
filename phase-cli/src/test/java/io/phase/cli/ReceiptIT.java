package io.phase.cli;

import static io.phase.cli.PhaseRunner.fixtureArg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phase exec --receipt --transcript} then {@code phase verify}: the untouched evidence
 * verifies against the module, transcript, worker and job id; any change to it does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiptIT {
  private static final Pattern DATA = Pattern.compile("\"data\":\"([A-Za-z0-9+/=]*)\"");
  private static final Pattern JOB_ID = Pattern.compile("\"job_id\":\"([0-9a-f]{64})\"");

  @TempDir static Path dir;
  PhaseRunner phase;
  String workerId;
  String otherWorkerId;
  String jobId;

  @BeforeAll
  void runTheJob() throws Exception {
    phase = new PhaseRunner(dir);
    var exec =
        phase.run(
            "exec",
            "--key",
            "worker.key",
            "--receipt",
            "receipt.json",
            "--transcript",
            "transcript.jsonl",
            fixtureArg("io.wasm"),
            "mixed");
    exec.assertExit(0);
    assertEquals("out1\nout2\n", exec.stdout());
    workerId = phase.run("id", "--key", "worker.key").assertExit(0).stdout().strip();
    otherWorkerId = phase.run("id", "--key", "other.key").assertExit(0).stdout().strip();
    assertNotEquals(workerId, otherWorkerId);
    Matcher m = JOB_ID.matcher(Files.readString(dir.resolve("receipt.json")));
    assertTrue(m.find(), "receipt has a job_id");
    jobId = m.group(1);
  }

  @Test
  void untouchedEvidenceVerifies() throws Exception {
    var run =
        phase.run(
            "verify",
            "--module",
            fixtureArg("io.wasm"),
            "--transcript",
            "transcript.jsonl",
            "--worker",
            workerId,
            "--job-id",
            jobId,
            "receipt.json");
    run.assertExit(0);
    assertTrue(run.stdout().startsWith("valid: job " + jobId), run::describe);
    assertTrue(run.stdout().contains(workerId + ": exited(0)"), run::describe);
  }

  @Test
  void anotherModuleIsRejected() throws Exception {
    var run = phase.run("verify", "--module", fixtureArg("cpu.wasm"), "receipt.json");
    assertInvalid(run, "module_mismatch");
  }

  @Test
  void anotherWorkerIsRejected() throws Exception {
    var run = phase.run("verify", "--worker", otherWorkerId, "receipt.json");
    assertInvalid(run, "worker_mismatch");
  }

  @Test
  void transcriptWithOneByteChangedIsRejected() throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("transcript.jsonl"));
    Matcher m = DATA.matcher(lines.get(0));
    assertTrue(m.find(), lines.get(0));
    byte[] data = Base64.getDecoder().decode(m.group(1));
    data[0] ^= 0x01; // "out1\n" becomes "nut1\n"
    String tampered =
        lines.get(0).substring(0, m.start(1))
            + Base64.getEncoder().encodeToString(data)
            + lines.get(0).substring(m.end(1));
    lines.set(0, tampered);
    Files.write(dir.resolve("tampered.jsonl"), lines, StandardCharsets.UTF_8);
    var run = phase.run("verify", "--transcript", "tampered.jsonl", "receipt.json");
    assertInvalid(run, "output_mismatch");
  }

  @Test
  void receiptWithAnEditedFieldIsRejected() throws Exception {
    String receipt = Files.readString(dir.resolve("receipt.json"));
    String edited = receipt.replace("\"exit_code\":0", "\"exit_code\":3");
    assertNotEquals(receipt, edited, "the receipt records exit_code 0");
    Files.writeString(dir.resolve("edited.json"), edited);
    var run = phase.run("verify", "edited.json");
    assertInvalid(run, "bad_signature");
  }

  @Test
  void missingFilesAndMalformedExpectationsAreUsageErrors() throws Exception {
    phase.run("verify", "no-such-receipt.json").assertPhaseError(2, "no-such-receipt.json");
    phase
        .run("verify", "--transcript", "no-such.jsonl", "receipt.json")
        .assertPhaseError(2, "no-such.jsonl");
    phase
        .run("verify", "--module", "no-such.wasm", "receipt.json")
        .assertPhaseError(2, "no-such.wasm");
    phase.run("verify", "--job-id", "XYZ", "receipt.json").assertPhaseError(2, "--job-id");
  }

  private static void assertInvalid(PhaseRunner.Result run, String reason) {
    run.assertExit(1).assertNoStackTrace();
    assertEquals("", run.stdout(), run::describe);
    assertTrue(run.stderr().startsWith("invalid: "), run::describe);
    assertTrue(run.stderr().contains(reason), run::describe);
  }
}
