package io.phase.p2p.interop;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition with a generous deadline (interop peers run on loaded machines). */
final class Eventually {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private Eventually() {}

  static <T> T get(Supplier<Optional<T>> probe, String what) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      Thread.sleep(25);
    }
  }
}
