package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.phase.core.receipt.Expectations;
import io.phase.core.receipt.ReceiptVerifier;
import io.phase.core.receipt.SignedReceipt;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.host.Host;
import io.phase.p2p.identify.Identify;
import io.phase.p2p.multiaddr.Multiaddr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phase node --http} as a real process: its dashboard loaded by a real headless chromium,
 * its {@code /metrics} checked by Prometheus' own {@code promtool}, its token and bounds exercised
 * over real sockets.
 */
class HttpIT {
  /** A peer-supplied string meant to run script in the operator's browser if not escaped. */
  static final String HOSTILE_AGENT =
      "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";

  private static final Pattern JOBS_EXITED =
      Pattern.compile("(?m)^phase_jobs_total\\{outcome=\"exited\"\\} ([0-9.eE+]+)$");

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void dashboardInChromiumShowsPeerFinishedJobReceiptAndEscapesPeerStrings() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    try (PhaseNetwork net =
        PhaseNetwork.start(runner, 2, i -> i == 0 ? List.of("--http", "127.0.0.1:0") : List.of())) {
      String url = httpUrl(runner.dir().resolve("node0.out"));
      PhaseNetwork.Node worker = net.node(0);
      PhaseNetwork.Node other = net.node(1);

      String before = get(url + "metrics", null);
      promtoolCheck(before);
      double exitedBefore = jobsExited(before);

      // A real job on node 0.
      var run =
          runner.run(
              "run",
              "--key",
              dir.resolve("client.key").toString(),
              "--bootstrap",
              net.bootstrap(),
              "--worker",
              worker.peer().toString(),
              "--receipt",
              "r.json",
              Path.of(System.getProperty("phase.examples.dir"), "hello-step.wasm").toString());
      run.assertExit(0);
      SignedReceipt clientReceipt = SignedReceipt.parse(Files.readAllBytes(dir.resolve("r.json")));
      String jobId = clientReceipt.jobId();

      // A peer whose Identify agent version is hostile HTML stays connected while the page loads.
      try (Host hostile =
          Host.builder()
              .identity(Ed25519PrivateKey.generate())
              .agentVersion(HOSTILE_AGENT)
              .build()) {
        Identify identify = Identify.attach(hostile);
        try {
          hostile.dial(worker.address()).get(20, TimeUnit.SECONDS);
          String dom = "";
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
          while (System.nanoTime() < deadline) {
            dom = chromiumDom(url);
            if (dom.contains(other.peer().toString())
                && dom.contains(jobId)
                && dom.contains("signature verified")
                && dom.contains("&lt;script&gt;")) {
              break;
            }
            Thread.sleep(2000);
          }
          // The second node, found in the DHT with verified signed details.
          assertTrue(dom.contains(other.peer().toString()), "peer missing from the page:\n" + dom);
          assertTrue(dom.contains("signature verified"), dom);
          // The finished job with its receipt, verified.
          Matcher row =
              Pattern.compile("<tr class=\"job\" data-job-id=\"" + jobId + "\">(.*?)</tr>")
                  .matcher(dom);
          assertTrue(row.find(), "job row missing:\n" + dom);
          assertTrue(row.group(1).contains(">finished<"), row.group(1));
          assertTrue(row.group(1).contains(">exited<"), row.group(1));
          assertTrue(
              row.group(1).contains("receipt-verification\">signature verified<"), row.group(1));
          // The hostile agent string is shown as text, and none of it ran.
          assertTrue(
              dom.contains(
                  "&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x"
                      + " onerror=\"document.title='pwned'\"&gt;"),
              "hostile agent version not shown escaped:\n" + dom);
          assertFalse(dom.contains("<img src=\"x\""), dom);
          assertTrue(dom.contains("<title>Phase node</title>"), "script ran:\n" + dom);
        } finally {
          identify.close();
        }
      }

      // The receipt download is the signed receipt the client got.
      byte[] downloaded = getBytes(url + "api/jobs/" + jobId + "/receipt", null);
      SignedReceipt served = SignedReceipt.parse(downloaded);
      assertEquals(clientReceipt, served);
      assertTrue(
          ReceiptVerifier.verify(
                  served, Expectations.builder().worker(worker.peer()).jobId(jobId).build())
              .isOk());

      // Metrics moved: one more job ended with outcome exited; the output still parses.
      String after = get(url + "metrics", null);
      promtoolCheck(after);
      assertEquals(exitedBefore + 1, jobsExited(after), after);
      assertTrue(after.contains("phase_job_duration_seconds_count"), after);
      assertEquals("ok\n", get(url + "healthz", null));
    }
  }

  @Test
  @Timeout(120)
  void nonLoopbackNeedsATokenAndChecksItOnEveryRequest() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    String key = dir.resolve("n.key").toString();
    runner
        .run("node", "--key", key, "--listen", "/ip4/127.0.0.1/tcp/0", "--http", "0.0.0.0:0")
        .assertPhaseError(ExitCodes.USAGE, "needs --http-token FILE");

    Path token = dir.resolve("token");
    String secret = "s3cret-token-" + Long.toHexString(System.nanoTime()) + "-abcdef";
    Files.writeString(token, secret + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    runner
        .run(
            "node",
            "--key",
            key,
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--http",
            "0.0.0.0:0",
            "--http-token",
            token.toString())
        .assertPhaseError(ExitCodes.USAGE, "chmod 600");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));

    Path out = dir.resolve("node.out");
    Process node =
        NodeIT.startNode(
            runner,
            out,
            "--key",
            key,
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--http",
            "0.0.0.0:0",
            "--http-token",
            token.toString());
    try {
      String url = httpUrl(out);
      int port = URI.create(url).getPort();
      String[] paths = {"/", "/api/state", "/metrics", "/healthz"};
      for (String path : paths) {
        assertEquals(401, status(port, request("GET", path, "127.0.0.1", null)), path);
        assertEquals(
            401, status(port, request("GET", path, "127.0.0.1", "Bearer wrong-token-000000")));
        assertEquals(
            401, status(port, request("GET", path, "127.0.0.1", "Bearer " + secret + "x")), path);
        assertEquals(
            200, status(port, request("GET", path, "127.0.0.1", "Bearer " + secret)), path);
        String basic =
            Base64.getEncoder()
                .encodeToString(("admin:" + secret).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, status(port, request("GET", path, "any.host", "Basic " + basic)), path);
      }
      String log = Files.readString(out.resolveSibling("node.out.stderr"));
      assertFalse(log.contains(secret), "the token was logged");
    } finally {
      PhaseRunner.kill(node);
    }
  }

  @Test
  @Timeout(120)
  void loopbackEndpointFromTheConfigFileRefusesOversizedOddAndRebindingRequests() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    Path out = dir.resolve("node.out");
    Path config = dir.resolve("node.json");
    Files.writeString(config, "{\"http\": \"127.0.0.1:0\"}");
    Process node =
        NodeIT.startNode(
            runner,
            out,
            "--key",
            dir.resolve("n.key").toString(),
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--config",
            config.toString());
    try {
      int port = URI.create(httpUrl(out)).getPort();
      assertEquals(200, status(port, request("GET", "/healthz", "127.0.0.1:" + port, null)));
      assertEquals(200, status(port, request("GET", "/api/node", "localhost", null)));
      // Request line, headers and body are bounded.
      assertEquals(414, status(port, request("GET", "/" + "a".repeat(5000), "127.0.0.1", null)));
      String bigHeader =
          "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n";
      assertEquals(431, status(port, bigHeader.getBytes(StandardCharsets.US_ASCII)));
      String body =
          "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + "c".repeat(100);
      assertEquals(413, status(port, body.getBytes(StandardCharsets.US_ASCII)));
      assertEquals(405, status(port, request("POST", "/api/node", "127.0.0.1", null)));
      // DNS rebinding: a page served under another name must not read the endpoint.
      assertEquals(403, status(port, request("GET", "/api/node", "evil.example", null)));
      assertEquals(404, status(port, request("GET", "/nope", "127.0.0.1", null)));
      assertEquals(
          404,
          status(
              port, request("GET", "/api/jobs/" + "0".repeat(64) + "/receipt", "127.0.0.1", null)));
      // A connection that never completes its request is closed by the deadline.
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(20_000);
        s.getOutputStream()
            .write("GET / HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        assertEquals(-1, s.getInputStream().read(), "expected the server to close");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(19));
      }
    } finally {
      PhaseRunner.kill(node);
    }
  }

  @Test
  @Timeout(180)
  void healthzAnswers503WhileTheNodeDrainsAtSigterm() throws Exception {
    PhaseRunner runner = new PhaseRunner(dir);
    Path out = dir.resolve("node.out");
    Process node =
        NodeIT.startNode(
            runner,
            out,
            "--key",
            dir.resolve("n.key").toString(),
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--http",
            "127.0.0.1:0",
            "--shutdown-grace-s",
            "60");
    Process job = null;
    try {
      String url = httpUrl(out);
      int port = URI.create(url).getPort();
      assertEquals(200, status(port, request("GET", "/healthz", "127.0.0.1", null)));
      Multiaddr address = NodeIT.listenLines(out).get(0);
      job =
          runner
              .builder(
                  "run",
                  "--key",
                  dir.resolve("client.key").toString(),
                  "--bootstrap",
                  address.toString(),
                  "--worker",
                  address.peerId().orElseThrow().toString(),
                  "--timeout-s",
                  "120",
                  PhaseRunner.fixtureArg("loop.wasm"))
              .redirectOutput(dir.resolve("job.out").toFile())
              .redirectError(dir.resolve("job.err").toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!get(url + "api/jobs", null).contains("\"state\":\"running\"")) {
        assertTrue(System.nanoTime() < deadline, "the job never showed as running");
        Thread.sleep(200);
      }
      PhaseNetwork.signal(node, "TERM");
      int code = 0;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        code = status(port, request("GET", "/healthz", "127.0.0.1", null));
        if (code == 503) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(503, code, "healthz while draining");
      assertTrue(get503Body(port).contains("draining"));
    } finally {
      if (job != null) {
        PhaseRunner.kill(job);
      }
      PhaseRunner.kill(node);
    }
  }

  private static String get503Body(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(request("GET", "/healthz", "127.0.0.1", null));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  // ---- helpers ----

  /** The URL of the {@code HTTP <url>} line a node printed after its addresses. */
  static String httpUrl(Path stdout) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(stdout)) {
        if (line.startsWith("HTTP http://")) {
          return line.substring("HTTP ".length()).strip();
        }
      }
      Thread.sleep(100);
    }
    return fail("no HTTP line in " + Files.readString(stdout));
  }

  private static double jobsExited(String metrics) {
    Matcher m = JOBS_EXITED.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** Parses and lints the exposition with Prometheus' promtool; fails on any problem. */
  static void promtoolCheck(String metrics) throws Exception {
    Process p =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool hung");
    assertEquals(0, p.exitValue(), "promtool check metrics:\n" + output + "\n" + metrics);
  }

  /** The DOM of {@code url} after its scripts ran, from headless chromium. */
  private String chromiumDom(String url) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium");
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000",
                "--dump-dom",
                url));
    Process p =
        new ProcessBuilder(command).redirectError(dir.resolve("chromium.err").toFile()).start();
    byte[] dom = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not exit");
    }
    assertEquals(
        0, p.exitValue(), () -> "chromium failed: " + readQuietly(dir.resolve("chromium.err")));
    return new String(dom, StandardCharsets.UTF_8);
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String get(String url, String authorization) throws Exception {
    return new String(getBytes(url, authorization), StandardCharsets.UTF_8);
  }

  private static byte[] getBytes(String url, String authorization) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var builder =
        java.net.http.HttpRequest.newBuilder(URI.create(url))
            .timeout(java.time.Duration.ofSeconds(20));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    var response =
        client.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), url);
    return response.body();
  }

  private static byte[] request(String method, String path, String host, String authorization) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(host).append("\r\n");
    if (authorization != null) {
      b.append("Authorization: ").append(authorization).append("\r\n");
    }
    b.append("Connection: close\r\n\r\n");
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends raw request bytes and returns the response's status code. */
  private static int status(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        line.write(c);
      }
      String status = line.toString(StandardCharsets.US_ASCII);
      assertTrue(status.startsWith("HTTP/1.1 "), "no status line: " + status);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
