package io.phase.core.client;

import io.phase.core.receipt.OutputKind;
import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.Map;

/**
 * Delivers output to the caller exactly once across attempts. It remembers the bytes delivered per
 * stream (stdout, stderr), up to a cap; a retry's output is compared with that prefix and
 * suppressed while byte-identical; where it differs, a {@link JobEvent.Nondeterministic} event is
 * raised and delivery continues from the divergence. Past the cap, retries are no longer safe
 * ({@link #retryable()} turns false). Used from one thread at a time.
 */
final class OutputDelivery {
  private final JobListener listener;
  private final long cap;
  private final Map<OutputKind, ByteArrayOutputStream> delivered = new EnumMap<>(OutputKind.class);
  private final Map<OutputKind, long[]> attemptOffset = new EnumMap<>(OutputKind.class);
  private final Map<OutputKind, Boolean> diverged = new EnumMap<>(OutputKind.class);
  private boolean retryable = true;

  OutputDelivery(JobListener listener, long cap) {
    this.listener = listener;
    this.cap = cap;
    for (OutputKind k : OutputKind.values()) {
      delivered.put(k, new ByteArrayOutputStream());
      attemptOffset.put(k, new long[1]);
      diverged.put(k, false);
    }
  }

  /** A new attempt starts: its output is compared against what was delivered. */
  synchronized void nextAttempt() {
    for (OutputKind k : OutputKind.values()) {
      attemptOffset.get(k)[0] = 0;
      diverged.put(k, false);
    }
  }

  synchronized boolean retryable() {
    return retryable;
  }

  synchronized void accept(OutputKind kind, byte[] data) {
    ByteArrayOutputStream seen = delivered.get(kind);
    long off = attemptOffset.get(kind)[0];
    attemptOffset.get(kind)[0] = off + data.length;
    int from = 0;
    if (!diverged.get(kind) && off < seen.size()) {
      byte[] prefix = seen.toByteArray();
      int overlap = (int) Math.min(data.length, prefix.length - off);
      int i = 0;
      while (i < overlap && data[i] == prefix[(int) off + i]) {
        i++;
      }
      if (i < overlap) {
        diverged.put(kind, true);
        listener.onEvent(new JobEvent.Nondeterministic(kind, off + i));
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        kept.write(prefix, 0, (int) off + i);
        delivered.put(kind, kept);
        seen = kept;
      }
      from = i;
    }
    if (from < data.length) {
      byte[] fresh = from == 0 ? data : java.util.Arrays.copyOfRange(data, from, data.length);
      listener.onOutput(kind, fresh);
      if (retryable) {
        if (seen.size() + (long) fresh.length > cap) {
          retryable = false;
        } else {
          seen.write(fresh, 0, fresh.length);
        }
      }
    }
  }
}
