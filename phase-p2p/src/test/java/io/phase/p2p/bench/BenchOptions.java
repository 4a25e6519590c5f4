package io.phase.p2p.bench;

import io.phase.p2p.host.HostLimits;
import io.phase.p2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link P2pBench}, validated and bounded. */
record BenchOptions(
    Multiaddr listen,
    Multiaddr target,
    long serverPid,
    long mib,
    int reps,
    long warmupMib,
    List<Integer> streams,
    int dials,
    int dialWarmup,
    int rateHosts,
    int rateDials,
    boolean setup,
    boolean throughput,
    long timeoutSeconds,
    int window,
    int maxWindow,
    List<String> serverJavaOptions) {

  /** Parses {@code args[1..]} (args[0] is the mode). */
  static BenchOptions parse(String[] args) {
    Multiaddr listen = P2pBench.loopback();
    Multiaddr target = null;
    long serverPid = -1;
    long mib = 256;
    int reps = 5;
    long warmupMib = 64;
    List<Integer> streams = List.of(1, 8);
    int dials = 200;
    int dialWarmup = 20;
    int rateHosts = 4;
    int rateDials = 50;
    boolean setup = true;
    boolean throughput = true;
    long timeoutSeconds = 300;
    int window = HostLimits.DEFAULT.streamReceiveWindow();
    int maxWindow = HostLimits.DEFAULT.maxStreamReceiveWindow();
    List<String> serverJavaOptions = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--no-setup" -> setup = false;
        case "--no-throughput" -> throughput = false;
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          String v = args[++i];
          switch (a) {
            case "--listen" -> listen = Multiaddr.parse(v);
            case "--target" -> target = Multiaddr.parse(v);
            case "--server-pid" -> serverPid = bounded(a, v, 1, Long.MAX_VALUE);
            case "--mib" -> mib = bounded(a, v, 1, 16 * 1024);
            case "--reps" -> reps = (int) bounded(a, v, 1, 100);
            case "--warmup-mib" -> warmupMib = bounded(a, v, 0, 16 * 1024);
            case "--streams" -> {
              List<Integer> s = new ArrayList<>();
              for (String part : v.split(",", -1)) {
                s.add((int) bounded(a, part, 1, 128));
              }
              streams = List.copyOf(s);
            }
            case "--dials" -> dials = (int) bounded(a, v, 1, 100_000);
            case "--dial-warmup" -> dialWarmup = (int) bounded(a, v, 0, 10_000);
            case "--rate-hosts" -> rateHosts = (int) bounded(a, v, 1, 32);
            case "--rate-dials" -> rateDials = (int) bounded(a, v, 1, 10_000);
            case "--timeout-s" -> timeoutSeconds = bounded(a, v, 1, 3600);
            case "--window" -> window = (int) bounded(a, v, 256 * 1024, 64 * 1024 * 1024);
            case "--max-window" -> maxWindow = (int) bounded(a, v, 256 * 1024, 1024 * 1024 * 1024);
            case "--server-java-opt" -> serverJavaOptions.add(v);
            default -> throw new IllegalArgumentException("unknown option " + a);
          }
        }
      }
    }
    if (args[0].equals("client") && target == null) {
      throw new IllegalArgumentException("client needs --target MULTIADDR");
    }
    return new BenchOptions(
        listen,
        target,
        serverPid,
        mib,
        reps,
        warmupMib,
        streams,
        dials,
        dialWarmup,
        rateHosts,
        rateDials,
        setup,
        throughput,
        timeoutSeconds,
        window,
        Math.max(window, maxWindow),
        List.copyOf(serverJavaOptions));
  }

  private static long bounded(String name, String value, long min, long max) {
    long v;
    try {
      v = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs an integer, got '" + value + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]");
    }
    return v;
  }
}
