package io.phase.core.sandbox;

import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputCommitment;
import io.phase.core.receipt.OutputKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Collects a run's chunks as a caller would. */
final class RecordingListener implements OutputListener {
  final List<OutputChunk> chunks = new ArrayList<>();

  @Override
  public synchronized void onOutput(OutputChunk chunk) {
    chunks.add(chunk);
  }

  synchronized String text(OutputKind channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (OutputChunk c : chunks) {
      if (c.kind() == channel) {
        out.writeBytes(c.data());
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  synchronized String stdout() {
    return text(OutputKind.STDOUT);
  }

  synchronized String stderr() {
    return text(OutputKind.STDERR);
  }

  /** Replays the commitment over what was received, as a verifier would. */
  synchronized byte[] replay() {
    OutputCommitment c = new OutputCommitment();
    for (OutputChunk chunk : chunks) {
      c.append(chunk.kind(), chunk.data(), 0, chunk.data().length);
    }
    return c.digest();
  }
}
