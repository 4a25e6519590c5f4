package io.phase.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A function too large for one JVM method runs in Chicory's interpreter, and the result says so.
 */
class InterpreterFallbackTest {

  @Test
  void hugeFunctionIsInterpretedAndReported() throws Exception {
    byte[] module = moduleWithHugeStart(60_000);
    try (var sandbox = new Sandbox(SandboxConfig.defaults().withConcurrency(1, 1))) {
      var limits = SandboxLimits.DEFAULTS.withMemoryMb(16).withTimeout(Duration.ofSeconds(60));
      var result =
          sandbox
              .submit(SandboxRequest.of(module, limits), OutputListener.DISCARD)
              .result()
              .get(120, TimeUnit.SECONDS);
      assertEquals(Outcome.exited(0), result.outcome());
      assertEquals(1, result.runtime().interpretedFunctions());
      assertEquals("interpreted", result.runtime().mode());
    }
  }

  /**
   * A module with one exported {@code _start} whose body is {@code pairs} times {@code i32.const 1;
   * drop}: valid, harmless, and far beyond the JVM's 64 KiB method size once compiled.
   */
  static byte[] moduleWithHugeStart(int pairs) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0x00); // no locals
    for (int i = 0; i < pairs; i++) {
      body.write(0x41); // i32.const
      body.write(0x01);
      body.write(0x1a); // drop
    }
    body.write(0x0b); // end
    byte[] code = body.toByteArray();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
    section(out, 1, new byte[] {0x01, 0x60, 0x00, 0x00}); // one type: [] -> []
    section(out, 3, new byte[] {0x01, 0x00}); // one function of type 0
    byte[] name = "_start".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ByteArrayOutputStream exports = new ByteArrayOutputStream();
    exports.write(0x01);
    exports.write(name.length);
    exports.writeBytes(name);
    exports.write(0x00); // function
    exports.write(0x00); // index 0
    section(out, 7, exports.toByteArray());
    ByteArrayOutputStream codeSection = new ByteArrayOutputStream();
    codeSection.write(0x01);
    leb(codeSection, code.length);
    codeSection.writeBytes(code);
    section(out, 10, codeSection.toByteArray());
    return out.toByteArray();
  }

  private static void section(ByteArrayOutputStream out, int id, byte[] content) {
    out.write(id);
    leb(out, content.length);
    out.writeBytes(content);
  }

  private static void leb(ByteArrayOutputStream out, int value) {
    do {
      int b = value & 0x7f;
      value >>>= 7;
      out.write(value == 0 ? b : b | 0x80);
    } while (value != 0);
  }
}
