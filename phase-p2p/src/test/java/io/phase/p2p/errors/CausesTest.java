package io.phase.p2p.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CausesTest {
  @Test
  void aChainReadsAsItsRootMessageWithoutClassNames() {
    Throwable chain =
        new CompletionException(new ExecutionException(new IOException("connection refused")));
    assertEquals("connection refused", Causes.rootMessage(chain));
  }

  @Test
  void aRootWithoutMessageReadsAsItsSimpleClassName() {
    assertEquals(
        "TimeoutException", Causes.rootMessage(new CompletionException(new TimeoutException())));
  }

  @Test
  void aCycleEnds() {
    IOException a = new IOException("a");
    IOException b = new IOException("b", a);
    a.initCause(b);
    Causes.rootMessage(b); // terminates
  }

  @Test
  void theRootCauseMessageWithoutTheClassChain() {
    var chain =
        new CompletionException(new ExecutionException(new IOException("connection refused")));
    assertEquals("connection refused", Causes.rootMessage(chain));
    assertEquals("IOException", Causes.rootMessage(new CompletionException(new IOException())));
    assertEquals("alone", Causes.rootMessage(new IllegalStateException("alone")));
  }
}
