package io.phase.core.sandbox;

/**
 * What crossed between the host directory and the guest's copy of it.
 *
 * @param copyOutError why copying the guest's writes back failed, or null
 */
public record WorkspaceReport(
    int filesIn, long bytesIn, int filesOut, long bytesOut, String copyOutError) {}
