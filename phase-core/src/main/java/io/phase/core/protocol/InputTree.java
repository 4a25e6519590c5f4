package io.phase.core.protocol;

import io.phase.core.json.StrictFields;
import io.phase.p2p.text.PrintableText;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One input tree a SUBMIT offers: the guest path it is mounted at, its Merkle digest ({@link
 * io.phase.core.workspace.TreeDigest}), the exact size of its workspace archive (what travels if
 * the worker lacks it) and whether the guest may write to it.
 */
public record InputTree(String path, String digest, long size, boolean readOnly) {

  /** Most input trees in one SUBMIT. */
  public static final int MAX_INPUTS = 16;

  /** Longest guest path, in chars. */
  public static final int MAX_PATH_CHARS = 256;

  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._+@=,-]{1,255})+");

  public InputTree {
    if (path == null || path.length() > MAX_PATH_CHARS || !PATH.matcher(path).matches()) {
      throw new ProtocolException(
          "SUBMIT.inputs[].path must be an absolute guest path of 1.."
              + MAX_PATH_CHARS
              + " chars of [A-Za-z0-9._+@=,-] components: "
              + (path == null ? "null" : "\"" + PrintableText.printable(path) + "\""));
    }
    for (String part : path.substring(1).split("/")) {
      if (part.equals(".") || part.equals("..")) {
        throw new ProtocolException("SUBMIT.inputs[].path must not contain . or ..");
      }
    }
    JobOffer.requireMatch(
        digest, StrictFields.MODULE_HASH, "SUBMIT.inputs[].digest", "sha256:<64 lowercase hex>");
    if (size < 6 || size > RunMessage.MAX_SIZE) {
      throw new ProtocolException("SUBMIT.inputs[].size must be 6..2^40, got " + size);
    }
  }

  /**
   * Refuses more than {@link #MAX_INPUTS} output paths, malformed ones (the input path rules) and
   * equal or nested ones.
   */
  static void checkOutputs(List<String> outputs) {
    if (outputs.size() > MAX_INPUTS) {
      throw new ProtocolException("SUBMIT.outputs has more than " + MAX_INPUTS + " entries");
    }
    for (int i = 0; i < outputs.size(); i++) {
      String a = outputs.get(i);
      if (a == null || a.length() > MAX_PATH_CHARS || !PATH.matcher(a).matches()) {
        throw new ProtocolException(
            "SUBMIT.outputs[] must be an absolute guest path of 1.."
                + MAX_PATH_CHARS
                + " chars of [A-Za-z0-9._+@=,-] components: "
                + (a == null ? "null" : "\"" + PrintableText.printable(a) + "\""));
      }
      for (String part : a.substring(1).split("/")) {
        if (part.equals(".") || part.equals("..")) {
          throw new ProtocolException("SUBMIT.outputs[] must not contain . or ..");
        }
      }
      for (int j = 0; j < i; j++) {
        String b = outputs.get(j);
        if (a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/")) {
          throw new ProtocolException(
              "SUBMIT.outputs paths " + b + " and " + a + " are equal or nested");
        }
      }
    }
  }

  /** Refuses more than {@link #MAX_INPUTS} inputs and equal or nested paths. */
  static void checkAll(List<InputTree> inputs) {
    if (inputs.size() > MAX_INPUTS) {
      throw new ProtocolException("SUBMIT.inputs has more than " + MAX_INPUTS + " entries");
    }
    for (int i = 0; i < inputs.size(); i++) {
      for (int j = i + 1; j < inputs.size(); j++) {
        String a = inputs.get(i).path();
        String b = inputs.get(j).path();
        if (a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/")) {
          throw new ProtocolException(
              "SUBMIT.inputs paths " + a + " and " + b + " are equal or nested");
        }
      }
    }
  }
}
