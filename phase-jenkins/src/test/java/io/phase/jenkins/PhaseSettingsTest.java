package io.phase.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.core.identity.NodeKey;
import io.phase.core.step.StepDefaults;
import io.phase.core.step.StepNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhaseSettingsTest {
  private static final String PEER = NodeKey.generate().peerId().toBase58();
  private static final String OTHER = NodeKey.generate().peerId().toBase58();
  private static final String BOOT = "/ip4/10.0.0.5/tcp/4001/p2p/" + PEER;

  private static PhaseSettings settings(
      List<String> bootstrap, String listen, List<String> allowed) {
    return new PhaseSettings(bootstrap, listen, allowed, 30, StepDefaults.STANDARD);
  }

  @Test
  void validSettingsMakeTheNodeConfig() {
    PhaseSettings s =
        settings(List.of(" " + BOOT + " ", ""), "/ip4/0.0.0.0/tcp/4001", List.of(OTHER));
    assertEquals(List.of(BOOT), s.bootstrap());
    StepNode.Config c = s.nodeConfig(Path.of("/jenkins/phase/node.key"), "phase-jenkins");
    assertEquals(1, c.bootstrap().size());
    assertEquals(PEER, c.bootstrap().get(0).peerId().orElseThrow().toBase58());
    assertEquals(1, c.listen().size());
    assertEquals(1, c.allowedWorkers().size());
    assertEquals(Duration.ofSeconds(30), c.discoveryTimeout());
  }

  @Test
  void blankListenDialsOutOnly() {
    PhaseSettings s = settings(List.of(), "  ", List.of());
    assertEquals("", s.listenAddress());
    assertTrue(s.nodeConfig(Path.of("k"), "a").listen().isEmpty());
  }

  @Test
  void badValuesAreRefusedWithOneLine() {
    assertMessage(
        "must end in /p2p/<peer id>",
        () -> settings(List.of("/ip4/10.0.0.5/tcp/4001"), "", List.of()));
    assertMessage("bootstrap address", () -> settings(List.of("not a multiaddr"), "", List.of()));
    assertMessage(
        "listen address", () -> settings(List.of(), "/ip4/1.2.3.4/tcp/1/p2p/" + PEER, List.of()));
    assertMessage(
        "allowed worker 12D3KooWnope", () -> settings(List.of(), "", List.of("12D3KooWnope")));
    assertMessage(
        "discoveryTimeoutS must be between 1 and 600",
        () -> new PhaseSettings(List.of(), "", List.of(), 0, StepDefaults.STANDARD));
  }

  private static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void onlyNodeChangesRestartTheNode() {
    PhaseSettings a = settings(List.of(BOOT), "", List.of());
    PhaseSettings sameNode =
        new PhaseSettings(List.of(BOOT), "", List.of(), 30, new StepDefaults(64, 10, 1, 0));
    assertFalse(a.nodeDiffers(sameNode));
    assertTrue(a.nodeDiffers(settings(List.of(), "", List.of())));
    assertTrue(a.nodeDiffers(settings(List.of(BOOT), "/ip4/0.0.0.0/tcp/4001", List.of())));
    assertTrue(a.nodeDiffers(settings(List.of(BOOT), "", List.of(OTHER))));
    assertTrue(
        a.nodeDiffers(new PhaseSettings(List.of(BOOT), "", List.of(), 31, StepDefaults.STANDARD)));
    assertTrue(a.nodeDiffers(null));
  }

  @Test
  void textLinesSplitAndJoin() {
    assertEquals(List.of("a", "b"), TextLines.split(" a \r\n\n# comment\n\tb\n"));
    assertEquals(List.of(), TextLines.split(null));
    assertEquals("a\nb", TextLines.join(List.of("a", "b")));
    assertEquals(List.of("a", "b"), TextLines.split(TextLines.join(List.of("a", "b"))));
    assertThrows(IllegalArgumentException.class, () -> TextLines.split("x\n".repeat(257)));
    assertEquals(256, TextLines.split("x\n".repeat(256)).size());
  }

  @Test
  void formChecks() {
    assertEquals(Optional.empty(), CloudFormChecks.bootstrap(BOOT + "\n\n" + BOOT));
    assertTrue(
        CloudFormChecks.bootstrap(BOOT + "\n/ip4/1.2.3.4/tcp/1").orElseThrow().contains("/p2p/"));
    assertEquals(Optional.empty(), CloudFormChecks.listen(""));
    assertEquals(Optional.empty(), CloudFormChecks.listen("/ip4/0.0.0.0/tcp/4001"));
    assertTrue(CloudFormChecks.listen("/ip4/0.0.0.0/udp/4001").isPresent());
    assertEquals(Optional.empty(), CloudFormChecks.allowedWorkers(PEER + "\n" + OTHER));
    assertTrue(
        CloudFormChecks.allowedWorkers(PEER + "\nbogus").orElseThrow().startsWith("bogus: "));
    assertEquals(Optional.empty(), CloudFormChecks.limit("memoryMb", "256"));
    assertTrue(CloudFormChecks.limit("memoryMb", "0").orElseThrow().contains("memoryMb"));
    assertTrue(CloudFormChecks.limit("memoryMb", "99999999999").isPresent());
    assertTrue(CloudFormChecks.limit("timeoutS", "86401").isPresent());
    assertEquals(Optional.empty(), CloudFormChecks.limit("maxOutputMb", "0"));
    assertTrue(CloudFormChecks.limit("retries", "17").isPresent());
    assertTrue(CloudFormChecks.limit("retries", "two").orElseThrow().contains("whole number"));
    assertTrue(CloudFormChecks.limit("discoveryTimeoutS", "601").isPresent());
    assertEquals(Optional.empty(), CloudFormChecks.limit("discoveryTimeoutS", "600"));
  }
}
