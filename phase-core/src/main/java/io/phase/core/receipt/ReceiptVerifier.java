package io.phase.core.receipt;

import io.phase.core.receipt.Verification.Reason;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.peer.PeerId;

/**
 * Verifies signed receipts. There is one strict path: no legacy formats, no downgrade, no value
 * that skips a check. Checks, in order, stopping at the first failure:
 *
 * <ol>
 *   <li>well-formed receipt (MALFORMED) and {@code schema_version == 1} (SCHEMA);
 *   <li>the signature verifies for {@code worker_pubkey} over the signed message (BAD_SIGNATURE);
 *   <li>envelope {@code job_id} equals {@code result.job_id} (JOB_ID_MISMATCH);
 *   <li>{@code result.worker}'s key is {@code worker_pubkey} (WORKER_MISMATCH);
 *   <li>the expected job id, worker, module hash and replayed output, when given.
 * </ol>
 */
public final class ReceiptVerifier {

  private ReceiptVerifier() {}

  /** Parses (strictly, at most {@link SignedReceipt#MAX_BYTES}) and verifies receipt bytes. */
  public static Verification verify(byte[] receiptJson, Expectations expected) {
    SignedReceipt receipt;
    try {
      receipt = SignedReceipt.parse(receiptJson);
    } catch (ReceiptFormatException e) {
      return Verification.fail(e.reason(), e.getMessage());
    }
    return verify(receipt, expected);
  }

  /** Verifies a parsed receipt. */
  public static Verification verify(SignedReceipt receipt, Expectations expected) {
    if (receipt.schemaVersion() != SignedReceipt.SCHEMA_VERSION) {
      return Verification.fail(
          Reason.SCHEMA, "unsupported schema_version " + receipt.schemaVersion());
    }
    Ed25519PublicKey pubkey = receipt.workerPubkey();
    if (!pubkey.verify(receipt.signedMessage(), receipt.signature().unsafeArray())) {
      return Verification.fail(
          Reason.BAD_SIGNATURE, "signature does not verify for worker_pubkey " + pubkey.toHex());
    }
    WasmResult result = receipt.result();
    if (!receipt.jobId().equals(result.jobId())) {
      return Verification.fail(
          Reason.JOB_ID_MISMATCH,
          "envelope job_id " + receipt.jobId() + " differs from result.job_id " + result.jobId());
    }
    if (!result.worker().matches(pubkey)) {
      return Verification.fail(
          Reason.WORKER_MISMATCH,
          "result.worker " + result.worker() + " is not the peer of worker_pubkey");
    }
    if (expected.jobId().isPresent() && !expected.jobId().get().equals(result.jobId())) {
      return Verification.fail(
          Reason.JOB_ID_MISMATCH,
          "job_id " + result.jobId() + " is not the expected " + expected.jobId().get());
    }
    if (expected.worker().isPresent()) {
      PeerId worker = expected.worker().get();
      if (!worker.matches(pubkey)) {
        return Verification.fail(
            Reason.WORKER_MISMATCH, "signed by " + result.worker() + ", expected worker " + worker);
      }
    }
    if (expected.moduleHash().isPresent()
        && !expected.moduleHash().get().equals(result.moduleHash())) {
      return Verification.fail(
          Reason.MODULE_MISMATCH,
          "module_hash "
              + result.moduleHash()
              + " is not the expected "
              + expected.moduleHash().get());
    }
    if (expected.output().isPresent() && !result.output().matches(expected.output().get())) {
      OutputSummary replayed = expected.output().get();
      WasmResult.Output claimed = result.output();
      return Verification.fail(
          Reason.OUTPUT_MISMATCH,
          "replayed output (chunks="
              + replayed.chunks()
              + " stdout="
              + replayed.stdoutBytes()
              + " stderr="
              + replayed.stderrBytes()
              + ") does not match the receipt (chunks="
              + claimed.chunks()
              + " stdout="
              + claimed.stdoutBytes()
              + " stderr="
              + claimed.stderrBytes()
              + " or commitment differs)");
    }
    if (expected.inputs().isPresent() && !expected.inputs().get().equals(result.inputs())) {
      return Verification.fail(
          Reason.INPUT_MISMATCH,
          "input trees "
              + describe(result.inputs())
              + " are not the expected "
              + describe(expected.inputs().get()));
    }
    for (java.util.Map.Entry<String, String> want : expected.outputTrees().entrySet()) {
      String got =
          result.outputs().stream()
              .filter(o -> o.path().equals(want.getKey()))
              .map(WasmResult.OutputTree::digest)
              .findFirst()
              .orElse(null);
      if (!want.getValue().equals(got)) {
        return Verification.fail(
            Reason.OUTPUT_TREE_MISMATCH,
            got == null
                ? "the receipt names no output tree " + want.getKey()
                : "output tree "
                    + want.getKey()
                    + " is "
                    + want.getValue()
                    + ", not the receipt's "
                    + got);
      }
    }
    return Verification.ok();
  }

  private static String describe(java.util.List<WasmResult.Input> inputs) {
    StringBuilder b = new StringBuilder("[");
    for (WasmResult.Input in : inputs) {
      b.append(b.length() > 1 ? ", " : "")
          .append(in.path())
          .append('=')
          .append(in.digest())
          .append(in.readOnly() ? ":ro" : "");
    }
    return b.append(']').toString();
  }
}
