package io.phase.jenkins;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner.PlannedNode;
import hudson.util.FormValidation;
import io.phase.core.step.StepDefaults;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The Phase network as a Jenkins cloud: where the controller's embedded node joins (bootstrap
 * peers, listen address), which workers {@code phaseRun} steps may use, and the limits of steps
 * that set none. It provisions no agents: steps are dispatched from the controller. The first Phase
 * cloud in {@code Jenkins.get().clouds} configures the node ({@link PhaseLifecycle}). In JCasC:
 * {@code jenkins: clouds: - phase: {name: ..., bootstrap: [...]}}.
 */
public class PhaseCloud extends Cloud {
  private List<String> bootstrap = new ArrayList<>();
  private String listenAddress = PhaseSettings.DEFAULT_LISTEN;
  private List<String> allowedWorkers = new ArrayList<>();
  private int memoryMb = StepDefaults.STANDARD.memoryMb();
  private long timeoutS = StepDefaults.STANDARD.timeoutSeconds();
  private long maxOutputMb = StepDefaults.STANDARD.maxOutputMb();
  private int retries = StepDefaults.STANDARD.retries();
  private int discoveryTimeoutS = PhaseSettings.DEFAULT_DISCOVERY_TIMEOUT_S;

  @DataBoundConstructor
  public PhaseCloud(String name) {
    super(name == null || name.isBlank() ? "phase" : name.strip());
  }

  /** The first Phase cloud configured in Jenkins, if any. */
  public static Optional<PhaseCloud> configured() {
    return Optional.ofNullable(Jenkins.get().clouds.get(PhaseCloud.class));
  }

  /**
   * The cloud's settings, checked.
   *
   * @throws IllegalArgumentException with one line if a value is out of range or malformed
   */
  public PhaseSettings settings() {
    return new PhaseSettings(
        bootstrap,
        listenAddress,
        allowedWorkers,
        discoveryTimeoutS,
        new StepDefaults(memoryMb, timeoutS, maxOutputMb, retries));
  }

  @Override
  public boolean canProvision(CloudState state) {
    return false;
  }

  @Override
  public Collection<PlannedNode> provision(CloudState state, int excessWorkload) {
    return new ArrayList<>();
  }

  public List<String> getBootstrap() {
    return new ArrayList<>(bootstrap);
  }

  /** Bootstrap peers, each a multiaddr ending in {@code /p2p/<peer id>}. */
  @DataBoundSetter
  public void setBootstrap(List<String> bootstrap) {
    this.bootstrap = new ArrayList<>(TextLines.clean(bootstrap));
  }

  /** The bootstrap peers one per line, for the web form. */
  public String getBootstrapText() {
    return TextLines.join(bootstrap);
  }

  @DataBoundSetter
  public void setBootstrapText(String text) {
    this.bootstrap = new ArrayList<>(TextLines.split(text));
  }

  public String getListenAddress() {
    return listenAddress;
  }

  /** Where the node listens; blank to dial out only. */
  @DataBoundSetter
  public void setListenAddress(String listenAddress) {
    this.listenAddress = listenAddress == null ? "" : listenAddress.strip();
  }

  public List<String> getAllowedWorkers() {
    return new ArrayList<>(allowedWorkers);
  }

  /** Peer ids of the only workers steps may run on; empty for any. */
  @DataBoundSetter
  public void setAllowedWorkers(List<String> allowedWorkers) {
    this.allowedWorkers = new ArrayList<>(TextLines.clean(allowedWorkers));
  }

  public String getAllowedWorkersText() {
    return TextLines.join(allowedWorkers);
  }

  @DataBoundSetter
  public void setAllowedWorkersText(String text) {
    this.allowedWorkers = new ArrayList<>(TextLines.split(text));
  }

  public int getMemoryMb() {
    return memoryMb;
  }

  @DataBoundSetter
  public void setMemoryMb(int memoryMb) {
    this.memoryMb = memoryMb;
  }

  public long getTimeoutS() {
    return timeoutS;
  }

  @DataBoundSetter
  public void setTimeoutS(long timeoutS) {
    this.timeoutS = timeoutS;
  }

  public long getMaxOutputMb() {
    return maxOutputMb;
  }

  @DataBoundSetter
  public void setMaxOutputMb(long maxOutputMb) {
    this.maxOutputMb = maxOutputMb;
  }

  public int getRetries() {
    return retries;
  }

  @DataBoundSetter
  public void setRetries(int retries) {
    this.retries = retries;
  }

  public int getDiscoveryTimeoutS() {
    return discoveryTimeoutS;
  }

  @DataBoundSetter
  public void setDiscoveryTimeoutS(int discoveryTimeoutS) {
    this.discoveryTimeoutS = discoveryTimeoutS;
  }

  /** Fills in what an older configuration file lacks. */
  protected Object readResolve() {
    if (bootstrap == null) {
      bootstrap = new ArrayList<>();
    }
    if (allowedWorkers == null) {
      allowedWorkers = new ArrayList<>();
    }
    if (listenAddress == null) {
      listenAddress = "";
    }
    return this;
  }

  /** The cloud's form: display name and the checks of each field. */
  @Extension
  @Symbol("phase")
  public static class DescriptorImpl extends Descriptor<Cloud> {
    @Override
    public String getDisplayName() {
      return "Phase network";
    }

    @POST
    public FormValidation doCheckBootstrapText(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return CloudFormChecks.bootstrap(value)
          .map(FormValidation::error)
          .orElse(FormValidation.ok());
    }

    @POST
    public FormValidation doCheckListenAddress(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return CloudFormChecks.listen(value).map(FormValidation::error).orElse(FormValidation.ok());
    }

    @POST
    public FormValidation doCheckAllowedWorkersText(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return CloudFormChecks.allowedWorkers(value)
          .map(FormValidation::error)
          .orElse(FormValidation.ok());
    }

    @POST
    public FormValidation doCheckMemoryMb(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return toValidation(CloudFormChecks.limit("memoryMb", value));
    }

    @POST
    public FormValidation doCheckTimeoutS(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return toValidation(CloudFormChecks.limit("timeoutS", value));
    }

    @POST
    public FormValidation doCheckMaxOutputMb(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return toValidation(CloudFormChecks.limit("maxOutputMb", value));
    }

    @POST
    public FormValidation doCheckRetries(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return toValidation(CloudFormChecks.limit("retries", value));
    }

    @POST
    public FormValidation doCheckDiscoveryTimeoutS(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return toValidation(CloudFormChecks.limit("discoveryTimeoutS", value));
    }

    private static FormValidation toValidation(Optional<String> problem) {
      return problem.map(FormValidation::error).orElse(FormValidation.ok());
    }
  }
}
