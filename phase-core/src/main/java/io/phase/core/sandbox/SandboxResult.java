package io.phase.core.sandbox;

import io.phase.core.receipt.OutputSummary;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a finished run reports.
 *
 * @param moduleHash {@code sha256:<hex>} of the module bytes
 * @param limits the limits that applied, after clamping
 * @param runtime null only when the module never compiled
 * @param workspace present when a directory was mapped
 */
public record SandboxResult(
    Outcome outcome,
    String moduleHash,
    Duration wallTime,
    OutputSummary output,
    SandboxLimits limits,
    RuntimeInfo runtime,
    Optional<WorkspaceReport> workspace) {}
