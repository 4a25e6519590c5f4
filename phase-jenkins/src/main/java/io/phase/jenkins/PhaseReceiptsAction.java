package io.phase.jenkins;

import hudson.model.Item;
import hudson.model.Run;
import io.phase.core.step.StepReceipt;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.QueryParameter;

/**
 * The receipts of a build's {@code phaseRun} steps, kept with the build: one {@link ReceiptEntry}
 * per step, and a page that lists them with each receipt verified again from the step's files
 * ({@code <build>/phase/<n>/}) and downloadable as JSON ({@code receipt?step=<n>}). Whoever can
 * read the build can see them.
 */
public class PhaseReceiptsAction implements RunAction2 {
  private final List<ReceiptEntry> entries = new ArrayList<>();
  private transient Run<?, ?> run;

  /** Adds or replaces {@code entry} in {@code run}'s receipts and saves the build. */
  static void record(Run<?, ?> run, ReceiptEntry entry) throws IOException {
    synchronized (PhaseReceiptsAction.class) {
      PhaseReceiptsAction action = run.getAction(PhaseReceiptsAction.class);
      if (action == null) {
        action = new PhaseReceiptsAction();
        action.run = run;
        run.addAction(action);
      }
      action.put(entry);
    }
    run.save();
  }

  private synchronized void put(ReceiptEntry entry) {
    entries.removeIf(e -> e.getStep() == entry.getStep());
    entries.add(entry);
    entries.sort((a, b) -> Integer.compare(a.getStep(), b.getStep()));
  }

  /** The entries, by step number. */
  public synchronized List<ReceiptEntry> getEntries() {
    return new ArrayList<>(entries);
  }

  private synchronized Optional<ReceiptEntry> entry(int step) {
    return entries.stream().filter(e -> e.getStep() == step).findFirst();
  }

  public Run<?, ?> getRun() {
    return run;
  }

  /** The entries with each receipt verified again from its files, as the page shows them. */
  public List<ReceiptView> getReceipts() {
    List<ReceiptView> views = new ArrayList<>();
    for (ReceiptEntry e : getEntries()) {
      views.add(ReceiptView.of(e, stepDir(e.getStep())));
    }
    return views;
  }

  private Path stepDir(int step) {
    return StepDirectories.of(run.getRootDir().toPath(), step);
  }

  /**
   * Serves step {@code step}'s stored receipt as JSON. Stapler passes its response (a {@code
   * StaplerResponse2}) for the servlet type.
   */
  public void doReceipt(@QueryParameter String step, HttpServletResponse rsp) throws IOException {
    run.checkPermission(Item.READ);
    OptionalInt n = ReceiptNames.parse(step);
    if (n.isEmpty() || entry(n.getAsInt()).isEmpty()) {
      rsp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such Phase receipt");
      return;
    }
    Optional<StepReceipt> receipt = StepReceipt.read(stepDir(n.getAsInt()));
    if (receipt.isEmpty()) {
      rsp.sendError(HttpServletResponse.SC_NOT_FOUND, "the step has no receipt");
      return;
    }
    byte[] json = receipt.get().receiptJson();
    rsp.setContentType("application/json");
    rsp.setHeader(
        "Content-Disposition",
        "attachment; filename=\"phase-receipt-"
            + run.getNumber()
            + "-"
            + ReceiptNames.fileName(n.getAsInt())
            + "\"");
    rsp.setContentLength(json.length);
    try (OutputStream out = rsp.getOutputStream()) {
      out.write(json);
    }
  }

  @Override
  public void onAttached(Run<?, ?> r) {
    this.run = r;
  }

  @Override
  public void onLoad(Run<?, ?> r) {
    this.run = r;
  }

  @Override
  public String getIconFileName() {
    return "clipboard.png";
  }

  @Override
  public String getDisplayName() {
    return "Phase receipts";
  }

  @Override
  public String getUrlName() {
    return "phase-receipts";
  }
}
