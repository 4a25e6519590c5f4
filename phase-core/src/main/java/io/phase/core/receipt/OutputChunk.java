package io.phase.core.receipt;

/** One output chunk as recorded in a transcript. {@code data} is not copied. */
public record OutputChunk(long seq, OutputKind kind, byte[] data) {}
