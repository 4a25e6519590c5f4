package io.phase.core.exec;

import io.phase.core.receipt.SignedReceipt;
import io.phase.core.sandbox.SandboxResult;

/** A finished local job: what the sandbox saw and the receipt this node signed for it. */
public record ExecutionReport(String jobId, SandboxResult result, SignedReceipt receipt) {}
