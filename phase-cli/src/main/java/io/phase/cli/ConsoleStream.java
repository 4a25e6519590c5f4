package io.phase.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** One of our own standard streams; after its first failed write, writes are dropped. */
final class ConsoleStream {
  private final OutputStream out;
  private boolean broken;

  ConsoleStream(FileDescriptor fd) {
    out = new FileOutputStream(fd);
  }

  void write(byte[] data) {
    if (broken) {
      return;
    }
    try {
      out.write(data);
      out.flush();
    } catch (IOException e) {
      broken = true;
    }
  }
}
