package io.phase.jenkins;

import hudson.Extension;
import hudson.XmlFile;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.init.Terminator;
import hudson.model.Saveable;
import hudson.model.listeners.SaveableListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import jenkins.model.Jenkins;

/**
 * Ties the embedded node ({@link PhaseNodeService}) to Jenkins: starts it from the first Phase
 * cloud once jobs are loaded, reconfigures it whenever Jenkins' configuration (which holds the
 * clouds) is saved, and stops it at shutdown, detaching running steps so Pipeline resumes them
 * after the restart. Nothing here waits on a request thread.
 */
@Extension
public class PhaseLifecycle extends SaveableListener {
  /** How long shutdown waits for the node to close. */
  static final Duration STOP_WAIT = Duration.ofSeconds(20);

  /** Where the controller's node key lives: {@code JENKINS_HOME/phase/node.key}. */
  static Path keyFile() {
    return Jenkins.get().getRootDir().toPath().resolve("phase").resolve("node.key");
  }

  /** Reads the first Phase cloud and hands its settings to the service (which works async). */
  static void reconfigure(String why) {
    Optional<PhaseSettings> settings;
    try {
      settings = PhaseCloud.configured().map(PhaseCloud::settings);
    } catch (IllegalArgumentException e) {
      EventLog.warn("phase_cloud.invalid", "error", PhaseSettings.oneLine(e));
      settings = Optional.empty();
    }
    EventLog.fine("phase_cloud.apply", "reason", why, "configured", settings.isPresent());
    PhaseNodeService.get().configure(keyFile(), settings);
  }

  @Initializer(after = InitMilestone.JOB_LOADED)
  public static void start() {
    reconfigure("startup");
  }

  @Terminator
  public static void stop() {
    PhaseNodeService.get().stop(STOP_WAIT);
  }

  @Override
  public void onChange(Saveable o, XmlFile file) {
    if (o instanceof Jenkins) {
      reconfigure("jenkins_saved");
    }
  }
}
