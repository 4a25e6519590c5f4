package io.phase.cli;

import io.phase.core.client.JobProgress;
import io.phase.p2p.peer.PeerId;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One short line about where a job is, for {@link StatusLine} (without the prefix). */
final class ProgressText {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  private ProgressText() {}

  static String joining(int bootstrapPeers) {
    return "joining the network through "
        + bootstrapPeers
        + (bootstrapPeers == 1 ? " bootstrap peer" : " bootstrap peers")
        + "...";
  }

  static String describe(JobProgress progress) {
    if (progress instanceof JobProgress.Discovering d) {
      return "looking for workers ("
          + io.phase.core.step.EventText.printable(d.capability())
          + ")...";
    }
    if (progress instanceof JobProgress.Found f) {
      return "found " + f.workers() + (f.workers() == 1 ? " worker" : " workers");
    }
    if (progress instanceof JobProgress.Uploading u) {
      return "uploading to "
          + shortPeer(u.worker())
          + ": "
          + size(u.sentBytes())
          + " of "
          + size(u.totalBytes())
          + " ("
          + (u.totalBytes() == 0 ? 100 : u.sentBytes() * 100 / u.totalBytes())
          + "%)";
    }
    if (progress instanceof JobProgress.WaitingForSlot w) {
      return "waiting for a slot on "
          + shortPeer(w.worker())
          + " (starts by "
          + CLOCK.format(w.latestStart())
          + " at the latest)";
    }
    JobProgress.Running r = (JobProgress.Running) progress;
    return "running on " + shortPeer(r.worker());
  }

  /** True for the updates that come often (upload bytes), which a display may thin out. */
  static boolean frequent(JobProgress progress) {
    return progress instanceof JobProgress.Uploading u && u.sentBytes() < u.totalBytes();
  }

  /** {@code 12D3KooW…FcYmFD}: enough to tell workers apart on one line. */
  static String shortPeer(PeerId peer) {
    String id = peer.toString();
    return id.length() <= 16 ? id : id.substring(0, 8) + "..." + id.substring(id.length() - 6);
  }

  /** {@code 512 B}, {@code 37.5 KiB}, {@code 12.0 MiB}, {@code 1.25 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1L << 20) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1L << 30) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }
}
