package org.jvnet.hudson.reactor;

/**
 * Compile-only stub of {@code org.jvnet.hudson.reactor.Milestone} (task-reactor (not on Maven
 * Central; outside signatures.txt)); declarations match the real API, bodies throw.
 */
public interface Milestone {}
