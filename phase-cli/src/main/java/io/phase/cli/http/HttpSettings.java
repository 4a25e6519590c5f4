package io.phase.cli.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where the HTTP endpoint listens and which token it demands. A bind address that is not loopback
 * must come with a token: without one, anyone who can reach the port could read the node's jobs.
 *
 * @param bind address and port (port 0 picks a free one)
 * @param token required on every request when present
 */
public record HttpSettings(InetSocketAddress bind, Optional<AccessToken> token) {

  /**
   * Parses {@code HOST:PORT} ({@code [v6]:PORT} for IPv6). HOST must be an IP literal or {@code
   * localhost}.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static HttpSettings of(String hostPort, Optional<AccessToken> token) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("--http must be HOST:PORT, e.g. 127.0.0.1:9464");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--http port must be a number: " + hostPort);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--http port must be 0..65535: " + port);
    }
    if (!host.equals("localhost") && !host.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("--http host must be an IP address or localhost: " + host);
    }
    InetAddress address;
    try {
      address =
          host.equals("localhost") ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--http host is not an IP address: " + host);
    }
    if (!address.isLoopbackAddress() && token.isEmpty()) {
      throw new IllegalArgumentException(
          "--http on a non-loopback address ("
              + address.getHostAddress()
              + ") needs --http-token FILE");
    }
    return new HttpSettings(new InetSocketAddress(address, port), token);
  }
}
