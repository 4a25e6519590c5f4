package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.ManagementLink} (Jenkins 2.555.3 core); declarations
 * match the real API, bodies throw.
 */
public abstract class ManagementLink implements hudson.ExtensionPoint, Action {
  public ManagementLink() {}

  @Override
  public abstract String getIconFileName();

  @Override
  public abstract String getUrlName();

  public String getDescription() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public hudson.security.Permission getRequiredPermission() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public Category getCategory() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  /** Compile-only stub of {@code hudson.model.ManagementLink.Category}. */
  public enum Category {
    CONFIGURATION,
    SECURITY,
    STATUS,
    TROUBLESHOOTING,
    TOOLS,
    MISC,
    UNCATEGORIZED,
    PLUGINS;

    public String getLabel() {
      throw new UnsupportedOperationException("compile-only stub");
    }
  }
}
