package io.phase.core.sandbox;

import com.dylibso.chicory.runtime.Memory;

/**
 * Tells a trap caused by running out of memory from any other trap, after the fact.
 *
 * <p>Chicory answers a {@code memory.grow} past the maximum with -1 and records nothing. Wrapping
 * its memory to observe refusals costs a quarter to a third of guest speed (every load and store
 * goes through the wrapper; measured in docs/benchmarks.md), so instead a trapped guest whose
 * memory stands within a few growth steps of its maximum is taken to have died of exhaustion: an
 * allocator that cannot grow gives up at most one request short of the cap.
 */
final class MemoryExhaustion {
  /** 2 MiB, or 1/32 of the cap if larger: room for one failed allocator request. */
  static int slackPages(int maximumPages) {
    return Math.max(32, maximumPages / 32);
  }

  private MemoryExhaustion() {}

  static boolean likely(Memory memory) {
    int max = memory.maximumPages();
    return memory.pages() >= max - slackPages(max);
  }
}
