package io.phase.cli;

import io.phase.core.sandbox.Sandbox;
import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest, with the runtime it embeds. */
public final class PhaseVersion implements IVersionProvider {
  public static String version() {
    String v = PhaseVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "phase " + version(),
      "chicory " + Sandbox.CHICORY_VERSION + ", java " + System.getProperty("java.version")
    };
  }
}
