package io.phase.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.step.StepDefaults;
import io.phase.core.step.StepNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded node's life: start, keep on a defaults-only change, restart, remove, stop. */
class PhaseNodeServiceTest {
  private static PhaseSettings dialOut(int discoveryTimeoutS, StepDefaults defaults) {
    return new PhaseSettings(List.of(), "", List.of(), discoveryTimeoutS, defaults);
  }

  /** Records what the service does to a step. */
  private static final class Recorder implements PhaseNodeService.Follower {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<StepNode> nodes = new CopyOnWriteArrayList<>();

    @Override
    public void reattach(StepNode node) {
      calls.add("reattach");
      nodes.add(node);
    }

    @Override
    public void cancelForRemoval() {
      calls.add("cancel");
    }

    @Override
    public void nodeGone(String reason) {
      calls.add("gone: " + reason);
    }
  }

  @Test
  void restartsOnlyWhenTheNodeChanges(@TempDir Path home) throws Exception {
    PhaseNodeService service = new PhaseNodeService("phase-jenkins-test");
    Path key = home.resolve("phase/node.key");
    try {
      service
          .configure(key, Optional.of(dialOut(5, StepDefaults.STANDARD)))
          .get(30, TimeUnit.SECONDS);
      assertTrue(Files.exists(key));
      Recorder step = new Recorder();
      AtomicReference<StepNode> first = new AtomicReference<>();
      service.withNode(
          Duration.ofSeconds(5),
          step,
          node -> {
            first.set(node);
            return null;
          });
      assertEquals(1, service.followers());

      service
          .configure(key, Optional.of(dialOut(5, new StepDefaults(64, 10, 1, 0))))
          .get(30, TimeUnit.SECONDS);
      assertEquals(64, service.settings().orElseThrow().defaults().memoryMb());
      assertEquals(List.of(), step.calls);
      assertSame(first.get(), currentNode(service));

      service
          .configure(key, Optional.of(dialOut(6, StepDefaults.STANDARD)))
          .get(30, TimeUnit.SECONDS);
      assertEquals(List.of("reattach"), step.calls);
      StepNode second = currentNode(service);
      assertNotSame(first.get(), second);
      assertSame(second, step.nodes.get(0));
      assertEquals(first.get().peerId(), second.peerId(), "the key is kept");

      service.configure(key, Optional.empty()).get(30, TimeUnit.SECONDS);
      assertEquals("cancel", step.calls.get(1));
      assertTrue(
          step.calls.get(2).startsWith("gone: the Phase cloud was removed"), step.calls.toString());
      IOException none =
          assertThrows(
              IOException.class,
              () -> service.withNode(Duration.ofSeconds(1), new Recorder(), n -> null));
      assertEquals("no Phase cloud is configured", none.getMessage());
    } finally {
      service.stop(Duration.ofSeconds(10));
    }
  }

  @Test
  void aNodeThatCannotStartSaysWhy(@TempDir Path home) throws Exception {
    PhaseNodeService service = new PhaseNodeService("phase-jenkins-test");
    Path key = home.resolve("node.key");
    Files.writeString(key, "not a key");
    try {
      service
          .configure(key, Optional.of(dialOut(5, StepDefaults.STANDARD)))
          .get(30, TimeUnit.SECONDS);
      IOException e =
          assertThrows(
              IOException.class,
              () -> service.withNode(Duration.ofSeconds(1), new Recorder(), n -> null));
      assertTrue(e.getMessage().startsWith("the Phase node could not start: "), e.getMessage());
      assertTrue(service.snapshot().peerId().isEmpty());
    } finally {
      service.stop(Duration.ofSeconds(10));
    }
  }

  private static StepNode currentNode(PhaseNodeService service) throws Exception {
    AtomicReference<StepNode> node = new AtomicReference<>();
    Recorder probe = new Recorder();
    service.withNode(
        Duration.ofSeconds(5),
        probe,
        n -> {
          node.set(n);
          return null;
        });
    service.unregister(probe);
    return node.get();
  }
}
