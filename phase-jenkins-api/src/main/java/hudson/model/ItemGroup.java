package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.ItemGroup} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface ItemGroup<T extends Item> {
  java.util.Collection<T> getItems();

  String getUrl();

  String getUrlChildPrefix();

  T getItem(String name) throws org.springframework.security.access.AccessDeniedException;

  java.io.File getRootDirFor(T child);

  void onDeleted(T item) throws java.io.IOException;
}
