package org.kohsuke.stapler.export;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.export.CustomExportedBean} (Stapler 2076);
 * declarations match the real API, bodies throw.
 */
public interface CustomExportedBean {
  Object toExportedObject();
}
