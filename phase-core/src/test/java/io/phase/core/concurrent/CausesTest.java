package io.phase.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CausesTest {
  @Test
  void theRootCauseMessageWithoutTheClassChain() {
    var chain =
        new CompletionException(new ExecutionException(new IOException("connection refused")));
    assertEquals("connection refused", Causes.rootMessage(chain));
    assertEquals("IOException", Causes.rootMessage(new CompletionException(new IOException())));
    assertEquals("alone", Causes.rootMessage(new IllegalStateException("alone")));
  }
}
