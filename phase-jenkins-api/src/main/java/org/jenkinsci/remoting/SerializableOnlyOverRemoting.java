package org.jenkinsci.remoting;

/**
 * Compile-only stub of {@code org.jenkinsci.remoting.SerializableOnlyOverRemoting} (Jenkins
 * remoting (not on Maven Central; outside signatures.txt)); declarations match the real API, bodies
 * throw.
 */
public interface SerializableOnlyOverRemoting extends java.io.Serializable {}
