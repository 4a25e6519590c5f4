package io.phase.core.step;

import io.phase.core.client.JobEvent;
import io.phase.p2p.text.PrintableText;
import java.util.Locale;

/** One line for a person about a job event, as {@code phase run} and the CI steps print it. */
public final class EventText {
  private static final int MAX_CHARS = 128;

  private EventText() {}

  /** The line for {@code event}, without the {@code phase: } prefix. */
  public static String describe(JobEvent event) {
    if (event instanceof JobEvent.Dispatched d) {
      return "dispatched job " + d.jobId() + " to " + d.worker() + " (attempt " + d.attempt() + ")";
    }
    if (event instanceof JobEvent.Retry r) {
      String kind = r.cause().name().toLowerCase(Locale.ROOT) + ": ";
      String reason = printable(r.reason());
      return "attempt on "
          + r.worker()
          + " failed ("
          + (reason.startsWith(kind) ? "" : kind)
          + reason
          + "); trying another worker";
    }
    if (event instanceof JobEvent.Reattached r) {
      return "reconnected to " + r.worker() + ", resuming output at chunk " + r.fromSeq();
    }
    if (event instanceof JobEvent.Nondeterministic n) {
      return "the retried run's "
          + n.kind().wireName()
          + " differs from what was already shown, from byte "
          + n.offset();
    }
    JobEvent.Verified v = (JobEvent.Verified) event;
    return "receipt of job " + v.jobId() + " verified";
  }

  /** Text from a file or a peer, cut and made printable for one-line messages. */
  public static String printable(String text) {
    return PrintableText.printable(text, MAX_CHARS);
  }
}
