package io.phase.p2p.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a Wycheproof test-vector file (project C2SP/wycheproof, {@code testvectors_v1/}, Apache
 * License 2.0; copies under {@code src/test/resources/wycheproof/}, see the README there).
 */
public final class Wycheproof {
  private static final HexFormat HEX = HexFormat.of();

  /** One test case with the group it belongs to. */
  public record Case(JsonNode group, JsonNode test) {
    /** {@code tcId}. */
    public int id() {
      return test.get("tcId").asInt();
    }

    /** {@code valid}, {@code invalid} or {@code acceptable}. */
    public String result() {
      return test.get("result").asText();
    }

    /** The flags of this case. */
    public Set<String> flags() {
      Set<String> flags = new TreeSet<>();
      test.get("flags").forEach(f -> flags.add(f.asText()));
      return flags;
    }

    /** A hex field of the test, decoded. */
    public byte[] hex(String field) {
      return HEX.parseHex(test.get(field).asText());
    }

    /** A description for assertion messages. */
    public String describe() {
      return "tcId " + id() + " (" + result() + ", " + flags() + ", " + test.get("comment") + ")";
    }
  }

  private Wycheproof() {}

  /** Every case of {@code /wycheproof/<name>.json}; fails if the file lost cases. */
  public static List<Case> load(String name) {
    try (InputStream in = Wycheproof.class.getResourceAsStream("/wycheproof/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /wycheproof/" + name + ".json");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      List<Case> cases = new ArrayList<>();
      for (JsonNode group : root.get("testGroups")) {
        for (JsonNode test : group.get("tests")) {
          cases.add(new Case(group, test));
        }
      }
      if (cases.size() != root.get("numberOfTests").asInt()) {
        throw new IllegalStateException(
            name + ": " + cases.size() + " cases, header says " + root.get("numberOfTests"));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
