package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.ItemGroup} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface ItemGroup<T extends Item> {}
