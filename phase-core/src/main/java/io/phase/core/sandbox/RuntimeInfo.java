package io.phase.core.sandbox;

/**
 * The engine that ran a guest.
 *
 * @param mode "compiled", "mixed" or "interpreted"
 * @param interpretedFunctions functions that fell back to Chicory's interpreter
 * @param cached whether the compiled module came from the cache
 */
public record RuntimeInfo(
    String name, String version, String mode, int interpretedFunctions, boolean cached) {}
