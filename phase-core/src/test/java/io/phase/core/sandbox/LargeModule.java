package io.phase.core.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Generates a large WASI command module in memory, for tests of the compile path and the compiled
 * module caches without downloading anything: {@code functions} small functions (function {@code i}
 * returns {@code (i * 7 + salt) % 100}), {@code huge} functions each too large for one JVM method
 * (so they fall back to the interpreter), and a {@code _start} that calls every huge function, sums
 * the small ones and exits ({@code proc_exit}) with the sum's low 8 bits.
 */
final class LargeModule {
  private LargeModule() {}

  /** The module's bytes; {@code salt} makes otherwise equal modules differ (another hash). */
  static byte[] generate(int functions, int huge, int salt) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
    // Types: 0 = [] -> [], 1 = [i32] -> [], 2 = [] -> [i32].
    section(
        out,
        1,
        new byte[] {0x03, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7f});
    ByteArrayOutputStream imports = new ByteArrayOutputStream();
    leb(imports, 1);
    name(imports, "wasi_snapshot_preview1");
    name(imports, "proc_exit");
    imports.write(0x00);
    leb(imports, 1);
    section(out, 2, imports.toByteArray());
    // Functions: 1 = _start, 2..functions+1 = small, then the huge ones.
    ByteArrayOutputStream types = new ByteArrayOutputStream();
    leb(types, 1 + functions + huge);
    types.write(0);
    for (int i = 0; i < functions; i++) {
      types.write(2);
    }
    for (int i = 0; i < huge; i++) {
      types.write(0);
    }
    section(out, 3, types.toByteArray());
    ByteArrayOutputStream exports = new ByteArrayOutputStream();
    leb(exports, 1);
    name(exports, "_start");
    exports.write(0x00);
    leb(exports, 1);
    section(out, 7, exports.toByteArray());

    ByteArrayOutputStream code = new ByteArrayOutputStream();
    leb(code, 1 + functions + huge);
    ByteArrayOutputStream start = new ByteArrayOutputStream();
    start.write(0x00); // no locals
    for (int i = 0; i < huge; i++) {
      start.write(0x10); // call
      leb(start, 2 + functions + i);
    }
    start.write(0x41); // i32.const 0
    start.write(0x00);
    for (int i = 0; i < functions; i++) {
      start.write(0x10); // call
      leb(start, 2 + i);
      start.write(0x6a); // i32.add
    }
    start.write(0x41); // i32.const 255
    sleb(start, 255);
    start.write(0x71); // i32.and
    start.write(0x10); // call proc_exit
    leb(start, 0);
    start.write(0x0b);
    body(code, start.toByteArray());
    for (int i = 0; i < functions; i++) {
      ByteArrayOutputStream small = new ByteArrayOutputStream();
      small.write(0x00);
      small.write(0x41);
      sleb(small, value(i, salt));
      small.write(0x0b);
      body(code, small.toByteArray());
    }
    for (int i = 0; i < huge; i++) {
      ByteArrayOutputStream big = new ByteArrayOutputStream();
      big.write(0x00);
      for (int j = 0; j < 40_000; j++) {
        big.write(0x41); // i32.const 1; drop
        big.write(0x01);
        big.write(0x1a);
      }
      big.write(0x0b);
      body(code, big.toByteArray());
    }
    section(out, 10, code.toByteArray());
    return out.toByteArray();
  }

  /** The exit code the module's {@code _start} ends with. */
  static int exitCode(int functions, int salt) {
    int sum = 0;
    for (int i = 0; i < functions; i++) {
      sum += value(i, salt);
    }
    return sum & 0xff;
  }

  private static int value(int i, int salt) {
    return (i * 7 + salt) % 100;
  }

  private static void body(ByteArrayOutputStream code, byte[] body) {
    leb(code, body.length);
    code.writeBytes(body);
  }

  private static void name(ByteArrayOutputStream out, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    leb(out, bytes.length);
    out.writeBytes(bytes);
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

  private static void sleb(ByteArrayOutputStream out, int value) {
    while (true) {
      int b = value & 0x7f;
      value >>= 7;
      if ((value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0)) {
        out.write(b);
        return;
      }
      out.write(b | 0x80);
    }
  }
}
