package io.phase.core.receipt;

import java.util.List;

/**
 * A complete, validated output transcript: the chunks in order and the summary their replay
 * produced. Read one with {@link TranscriptReader}; write one with {@link TranscriptWriter}.
 *
 * <p>File format: JSON Lines, one object per chunk, each line terminated by {@code \n}: {@code
 * {"seq":0,"kind":"stdout","data":"<base64>"}} with {@code seq} = 0, 1, 2… and standard padded
 * base64 of at most {@link #MAX_CHUNK_BYTES} bytes.
 */
public record Transcript(List<OutputChunk> chunks, OutputSummary summary) {

  /** Largest chunk a transcript line may carry; producers split larger writes. */
  public static final int MAX_CHUNK_BYTES = 256 * 1024;

  /** Longest line a conforming writer produces (a full chunk plus the JSON around it). */
  public static final int MAX_LINE_BYTES = 4 * ((MAX_CHUNK_BYTES + 2) / 3) + 128;

  public Transcript {
    chunks = List.copyOf(chunks);
  }
}
