package io.phase.cli.http;

import java.util.regex.Pattern;

/**
 * Whether a request's {@code Host} header names this machine's loopback interface. A loopback
 * endpoint without a token answers only such requests, so that a web page whose DNS name is rebound
 * to 127.0.0.1 cannot read it from the operator's browser.
 */
final class LoopbackHost {
  private static final Pattern LOOPBACK =
      Pattern.compile(
          "(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?", Pattern.CASE_INSENSITIVE);

  private LoopbackHost() {}

  static boolean allowed(String host) {
    return host != null && host.length() <= 64 && LOOPBACK.matcher(host).matches();
  }
}
