package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Item} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public interface Item extends hudson.security.AccessControlled, jenkins.util.io.OnMaster {
  hudson.security.Permission READ = null;

  ItemGroup<? extends Item> getParent();

  java.util.Collection<? extends Job> getAllJobs();

  String getName();

  String getFullName();

  String getDisplayName();

  String getUrl();

  String getShortUrl();

  void onLoad(ItemGroup<? extends Item> parent, String name) throws java.io.IOException;

  void onCopiedFrom(Item src);

  void save() throws java.io.IOException;

  void delete() throws java.io.IOException, InterruptedException;
}
