package io.phase.cli;

import io.phase.core.client.JobEvent;
import io.phase.core.client.JobListener;
import io.phase.core.client.JobProgress;
import io.phase.core.receipt.OutputChunk;
import io.phase.core.receipt.OutputKind;
import io.phase.core.receipt.TranscriptWriter;
import io.phase.core.step.EventText;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code phase run} shows and keeps: the guest's output on our stdout/stderr (already free of
 * duplicates across retries), job events as {@code phase: …} lines on stderr, progress (finding
 * workers, upload, waiting for a slot) on the {@link StatusLine}, erased before anything else is
 * written, and, when asked, the transcript of the attempt that produced the receipt (restarted when
 * a new attempt begins).
 */
final class RemoteOutput implements JobListener, AutoCloseable {
  private final ConsoleStream stdout = new ConsoleStream(FileDescriptor.out);
  private final ConsoleStream stderr = new ConsoleStream(FileDescriptor.err);
  private final Path transcriptPath;
  private final StatusLine status;
  private OutputStream file;
  private TranscriptWriter writer;
  private IOException transcriptError;

  RemoteOutput(Path transcriptPath, StatusLine status) {
    this.transcriptPath = transcriptPath;
    this.status = status;
  }

  @Override
  public void onOutput(OutputKind kind, byte[] data) {
    status.outputStarts();
    (kind == OutputKind.STDOUT ? stdout : stderr).write(data);
  }

  @Override
  public void onProgress(JobProgress progress) {
    status.show(ProgressText.describe(progress), ProgressText.frequent(progress));
  }

  @Override
  public synchronized void onEvent(JobEvent event) {
    if (event instanceof JobEvent.Dispatched) {
      restartTranscript();
    }
    if (!(event instanceof JobEvent.Verified)) {
      status.println("phase: " + EventText.describe(event));
    }
  }

  @Override
  public synchronized void onChunk(OutputChunk chunk) {
    if (writer == null || transcriptError != null) {
      return;
    }
    try {
      writer.append(chunk.kind(), chunk.data(), 0, chunk.data().length);
    } catch (IOException e) {
      transcriptError = e;
    }
  }

  private void restartTranscript() {
    if (transcriptPath == null) {
      return;
    }
    try {
      if (writer != null) {
        writer.close();
      }
      file = Files.newOutputStream(transcriptPath);
      writer = new TranscriptWriter(file);
    } catch (IOException e) {
      transcriptError = e;
    }
  }

  /** Flushes the transcript; reports a failure to write it. */
  synchronized void finish() {
    try {
      if (transcriptError != null) {
        throw transcriptError;
      }
      if (writer != null) {
        writer.flush();
      }
    } catch (IOException e) {
      throw new UserError(ExitCodes.PHASE_ERROR, "cannot write transcript: " + e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    status.clear();
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        // finish() reported what mattered
      }
    }
  }
}
