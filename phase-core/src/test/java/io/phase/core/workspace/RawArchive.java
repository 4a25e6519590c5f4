package io.phase.core.workspace;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Builds archives by hand, hostile ones included. */
public final class RawArchive {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final DataOutputStream out = new DataOutputStream(bytes);

  public RawArchive() throws IOException {
    out.write(WorkspaceArchive.MAGIC);
  }

  public RawArchive entry(int kind, byte[] path, int mode) throws IOException {
    out.writeByte(kind);
    out.writeShort(path.length);
    out.write(path);
    out.writeShort(mode);
    return this;
  }

  public RawArchive dir(String path) throws IOException {
    return entry(1, path.getBytes(StandardCharsets.UTF_8), 0755);
  }

  public RawArchive file(String path, byte[] content) throws IOException {
    entry(2, path.getBytes(StandardCharsets.UTF_8), 0644);
    out.writeLong(content.length);
    out.write(content);
    return this;
  }

  public byte[] end() throws IOException {
    out.writeByte(0);
    return bytes.toByteArray();
  }
}
