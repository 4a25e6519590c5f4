package io.phase.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;

/** A js peer answered a control command with {@code "ok":false}. */
public final class JsPeerCommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient JsonNode answer;

  JsPeerCommandException(String peer, String command, JsonNode answer) {
    super(peer + " failed " + command + ": " + answer.path("error").asText("(no error text)"));
    this.answer = answer;
  }

  /** The full answer line as the js peer sent it. */
  public JsonNode answer() {
    return answer;
  }
}
