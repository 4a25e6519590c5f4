package io.phase.core.protocol.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class InboundThrottleTest {
  private static final int KIB = 1024;

  /** An executor that runs tasks only when told to. */
  private static final class Pending implements java.util.concurrent.Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runOne() {
      tasks.remove().run();
    }
  }

  @Test
  void readingStopsAboveTheHighMarkAndResumesAtTheLowMark() {
    EmbeddedChannel channel = new EmbeddedChannel();
    InboundThrottle throttle = new InboundThrottle(() -> channel);
    Pending executor = new Pending();
    List<Integer> handled = new ArrayList<>();

    for (int i = 0; i < 4; i++) {
      int n = i;
      throttle.execute(executor, 256 * KIB, () -> handled.add(n));
    }
    assertTrue(channel.config().isAutoRead(), "exactly 1 MiB waiting is not above the high mark");
    throttle.execute(executor, 1, () -> handled.add(4));
    assertFalse(channel.config().isAutoRead(), "reading stops once more than 1 MiB waits");

    executor.runOne();
    executor.runOne();
    executor.runOne();
    assertEquals(256 * KIB + 1, throttle.waiting());
    assertFalse(channel.config().isAutoRead(), "256 KiB + 1 byte waiting is above the low mark");
    executor.runOne();
    assertTrue(channel.config().isAutoRead(), "reading resumes at the low mark");
    executor.runOne();
    assertEquals(List.of(0, 1, 2, 3, 4), handled);
    assertEquals(0, throttle.waiting());
  }

  @Test
  void aFailingTaskStillCountsAsHandled() {
    EmbeddedChannel channel = new EmbeddedChannel();
    InboundThrottle throttle = new InboundThrottle(() -> channel, 10, 0);
    Pending executor = new Pending();
    throttle.execute(
        executor,
        11,
        () -> {
          throw new IllegalStateException("handler failed");
        });
    assertFalse(channel.config().isAutoRead());
    assertThrows(IllegalStateException.class, executor::runOne);
    assertEquals(0, throttle.waiting());
    assertTrue(channel.config().isAutoRead());
  }

  @Test
  void noChannelYetIsTolerated() {
    InboundThrottle throttle = new InboundThrottle(() -> null, 10, 0);
    Pending executor = new Pending();
    throttle.execute(executor, 11, () -> {});
    executor.runOne();
    assertEquals(0, throttle.waiting());
  }

  @Test
  void marksAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new InboundThrottle(() -> null, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> new InboundThrottle(() -> null, 1, -1));
  }
}
