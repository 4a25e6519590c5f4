package io.phase.p2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostLimitsTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  @Test
  void defaultsStartAtTheSpecWindowAndBoundGrowth() {
    assertEquals(256 * KIB, HostLimits.DEFAULT.streamReceiveWindow());
    assertEquals(16 * MIB, HostLimits.DEFAULT.maxStreamReceiveWindow());
    assertEquals(32 * MIB, HostLimits.DEFAULT.connectionReceiveWindowBudget());
    assertEquals(256L * MIB, HostLimits.DEFAULT.hostReceiveWindowBudget());
  }

  @Test
  void receiveWindowsAreValidated() {
    HostLimits d = HostLimits.DEFAULT;
    assertThrows(
        IllegalArgumentException.class, () -> d.withStreamReceiveWindows(128 * KIB, MIB, MIB));
    assertThrows(
        IllegalArgumentException.class,
        () -> d.withStreamReceiveWindows(128 * MIB, 128 * MIB, MIB));
    assertThrows(
        IllegalArgumentException.class, () -> d.withStreamReceiveWindows(MIB, 512 * KIB, MIB));
    assertThrows(
        IllegalArgumentException.class,
        () -> d.withStreamReceiveWindows(MIB, 2 * 1024 * MIB - 1, MIB));
    assertThrows(
        IllegalArgumentException.class, () -> d.withStreamReceiveWindows(MIB, 4 * MIB, -1));
    HostLimits off = d.withStreamReceiveWindows(MIB, MIB, 0);
    assertEquals(MIB, off.maxStreamReceiveWindow());
    assertEquals(0, off.connectionReceiveWindowBudget());
    assertThrows(IllegalArgumentException.class, () -> d.withHostReceiveWindowBudget(-1));
    assertThrows(
        IllegalArgumentException.class, () -> d.withHostReceiveWindowBudget(65L * 1024 * MIB));
    assertEquals(0, d.withHostReceiveWindowBudget(0).hostReceiveWindowBudget());
  }
}
