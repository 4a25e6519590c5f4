package io.phase.jenkins;

import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → Phase peers: the controller's own node (peer id, addresses, whether it joined
 * the DHT) and the workers it finds, with their signed details and load. Shows the background
 * snapshot of {@link PhaseNodeService} and its age; a POST asks for a fresh one. Administrators
 * only.
 */
@Extension
public class PhasePeersLink extends ManagementLink {
  @Override
  public String getIconFileName() {
    return "network.png";
  }

  @Override
  public String getDisplayName() {
    return "Phase peers";
  }

  @Override
  public String getDescription() {
    return "The Phase node of this controller and the workers it finds on the network.";
  }

  @Override
  public String getUrlName() {
    return "phase-peers";
  }

  @Override
  public Permission getRequiredPermission() {
    return Jenkins.ADMINISTER;
  }

  @Override
  public Category getCategory() {
    return Category.STATUS;
  }

  /** The snapshot the page shows (checks the permission: the page has the node's addresses). */
  public PeersSnapshot getSnapshot() {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    return PhaseNodeService.get().snapshot();
  }

  /** Why there is no node, or empty. */
  public String getProblem() {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    return PhaseNodeService.get().problem();
  }

  /** Asks for a fresh snapshot (in the background) and shows the page again. */
  @POST
  public HttpResponse doRefresh() {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    PhaseNodeService.get().requestRefresh();
    return HttpResponses.redirectToDot();
  }
}
