package io.phase.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.Json;
import io.phase.core.json.StrictFields;
import io.phase.core.json.StrictFields.Unknown;
import io.phase.core.protocol.RunMessage.Accepted;
import io.phase.core.protocol.RunMessage.Attach;
import io.phase.core.protocol.RunMessage.Attached;
import io.phase.core.protocol.RunMessage.Cancel;
import io.phase.core.protocol.RunMessage.Error;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.protocol.RunMessage.HaveModule;
import io.phase.core.protocol.RunMessage.NeedModule;
import io.phase.core.protocol.RunMessage.Rejected;
import io.phase.core.protocol.RunMessage.Result;
import io.phase.core.protocol.RunMessage.Submit;
import io.phase.core.protocol.RunMessage.Type;
import io.phase.core.receipt.ReceiptFormatException;
import io.phase.core.receipt.SignedReceipt;
import io.phase.p2p.text.PrintableText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON bodies of job-run control frames. Unknown fields are refused: the protocol is versioned. */
final class RunBodies {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RunBodies() {}

  static byte[] encode(RunMessage message) {
    if (message instanceof Result r) {
      return r.receipt().toJson();
    }
    ObjectNode node = F.objectNode();
    if (message instanceof Submit s) {
      node.put("job_id", s.jobId());
      node.put("nonce", s.nonce());
      node.put("module_hash", s.moduleHash());
      node.put("module_size", s.moduleSize());
      ArrayNode args = node.putArray("args");
      s.args().forEach(args::add);
      ObjectNode env = node.putObject("env");
      s.env().forEach(env::put);
      node.put("stdin_size", s.stdinSize());
      node.put("workspace_size", s.workspaceSize());
      node.set("limits", s.limits().toJson());
      if (!s.inputs().isEmpty()) {
        ArrayNode inputs = node.putArray("inputs");
        for (InputTree input : s.inputs()) {
          ObjectNode in = inputs.addObject();
          in.put("path", input.path());
          in.put("digest", input.digest());
          in.put("size", input.size());
          in.put("read_only", input.readOnly());
        }
      }
      if (!s.outputs().isEmpty()) {
        ArrayNode outputs = node.putArray("outputs");
        s.outputs().forEach(outputs::add);
      }
    } else if (message instanceof Cancel c) {
      node.put("job_id", c.jobId());
    } else if (message instanceof Attach a) {
      node.put("job_id", a.jobId());
      node.put("from_seq", a.fromSeq());
    } else if (message instanceof Accepted a) {
      node.put("job_id", a.jobId());
      node.set("limits", a.limits().toJson());
    } else if (message instanceof Rejected r) {
      node.put("job_id", r.jobId());
      node.set("reason", r.reason().toJson());
    } else if (message instanceof NeedModule n) {
      node.put("module_hash", n.moduleHash());
      putMissing(node, n.missingInputs());
    } else if (message instanceof HaveModule h) {
      node.put("module_hash", h.moduleHash());
      putMissing(node, h.missingInputs());
    } else if (message instanceof Attached a) {
      node.put("job_id", a.jobId());
      node.put("from_seq", a.fromSeq());
    } else if (message instanceof Error e) {
      node.put("code", e.code().wireName());
      node.put("message", e.message());
    } else {
      throw new IllegalArgumentException(message.type() + " has no JSON body");
    }
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  static RunMessage decode(Type type, byte[] body) {
    String where = type.name();
    if (type == Type.RESULT) {
      try {
        return new Result(SignedReceipt.parse(body));
      } catch (ReceiptFormatException e) {
        throw new ProtocolException("RESULT: " + e.getMessage(), e);
      }
    }
    JsonNode node = JsonFields.parse(body, type.maxBody(), where);
    return switch (type) {
      case SUBMIT -> submit(node);
      case CANCEL -> {
        fields(node, where, "job_id");
        yield new Cancel(jobId(node, where));
      }
      case ATTACH -> {
        fields(node, where, "job_id", "from_seq");
        yield new Attach(
            jobId(node, where),
            JsonFields.READ.integer(node, "from_seq", where, 0, Long.MAX_VALUE));
      }
      case ACCEPTED -> {
        fields(node, where, "job_id", "limits");
        yield new Accepted(jobId(node, where), RunLimits.fromJson(node.get("limits"), where));
      }
      case REJECTED -> {
        fields(node, where, "job_id", "reason");
        yield new Rejected(
            jobId(node, where), RejectReason.fromJson(node.get("reason"), where + ".reason"));
      }
      case NEED_MODULE -> {
        optionalFields(node, where, List.of("missing_inputs"), "module_hash");
        yield new NeedModule(moduleHash(node, where), missing(node, where));
      }
      case HAVE_MODULE -> {
        optionalFields(node, where, List.of("missing_inputs"), "module_hash");
        yield new HaveModule(moduleHash(node, where), missing(node, where));
      }
      case ATTACHED -> {
        fields(node, where, "job_id", "from_seq");
        yield new Attached(
            jobId(node, where),
            JsonFields.READ.integer(node, "from_seq", where, 0, Long.MAX_VALUE));
      }
      case ERROR -> {
        fields(node, where, "code", "message");
        String codeText = JsonFields.READ.text(node, "code", where, 1, 64);
        ErrorCode code = ErrorCode.ofWireName(codeText);
        if (code == null) {
          throw new ProtocolException(
              "ERROR.code is not a known code: \"" + PrintableText.printable(codeText) + "\"");
        }
        yield new Error(
            code, JsonFields.READ.text(node, "message", where, 0, RunMessage.MAX_ERROR_CHARS));
      }
      default -> throw new IllegalArgumentException(type + " has no JSON body");
    };
  }

  private static Submit submit(JsonNode node) {
    String where = "SUBMIT";
    optionalFields(
        node,
        where,
        List.of("inputs", "outputs"),
        "job_id",
        "nonce",
        "module_hash",
        "module_size",
        "args",
        "env",
        "stdin_size",
        "workspace_size",
        "limits");
    JsonNode argsNode = node.get("args");
    if (!argsNode.isArray()) {
      throw new ProtocolException("SUBMIT.args must be an array of strings");
    }
    if (argsNode.size() > RunMessage.MAX_ARGS) {
      throw new ProtocolException("SUBMIT.args has more than " + RunMessage.MAX_ARGS + " entries");
    }
    List<String> args = new ArrayList<>();
    for (JsonNode arg : argsNode) {
      if (!arg.isTextual()) {
        throw new ProtocolException("SUBMIT.args must be an array of strings");
      }
      args.add(arg.textValue());
    }
    JsonNode envNode = node.get("env");
    if (!envNode.isObject()) {
      throw new ProtocolException("SUBMIT.env must be an object of strings");
    }
    if (envNode.size() > RunMessage.MAX_ENV) {
      throw new ProtocolException("SUBMIT.env has more than " + RunMessage.MAX_ENV + " entries");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = envNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new ProtocolException(
            "SUBMIT.env[\"" + PrintableText.printable(e.getKey()) + "\"] must be a string");
      }
      env.put(e.getKey(), e.getValue().textValue());
    }
    return new Submit(
        jobId(node, where),
        JsonFields.READ.text(node, "nonce", where, 0, 128),
        moduleHash(node, where),
        JsonFields.READ.integer(node, "module_size", where, 0, RunMessage.MAX_SIZE),
        args,
        env,
        JsonFields.READ.integer(node, "stdin_size", where, 0, RunMessage.MAX_SIZE),
        JsonFields.READ.integer(node, "workspace_size", where, 0, RunMessage.MAX_SIZE),
        RunLimits.fromJson(node.get("limits"), where + ".limits"),
        inputs(node.get("inputs")),
        outputs(node.get("outputs")));
  }

  private static List<String> outputs(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    String where = "SUBMIT.outputs";
    if (!node.isArray() || node.size() == 0 || node.size() > InputTree.MAX_INPUTS) {
      throw new ProtocolException(
          where + " must be an array of 1.." + InputTree.MAX_INPUTS + " guest paths");
    }
    List<String> outputs = new ArrayList<>();
    for (JsonNode path : node) {
      if (!path.isTextual()) {
        throw new ProtocolException(where + " must hold strings");
      }
      outputs.add(path.textValue());
    }
    return outputs;
  }

  private static List<InputTree> inputs(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    String where = "SUBMIT.inputs";
    if (!node.isArray() || node.size() == 0 || node.size() > InputTree.MAX_INPUTS) {
      throw new ProtocolException(
          where + " must be an array of 1.." + InputTree.MAX_INPUTS + " objects");
    }
    List<InputTree> inputs = new ArrayList<>();
    for (JsonNode in : node) {
      fields(in, where + "[]", "path", "digest", "size", "read_only");
      JsonNode readOnly = in.get("read_only");
      if (!readOnly.isBoolean()) {
        throw new ProtocolException(where + "[].read_only must be true or false");
      }
      inputs.add(
          new InputTree(
              JsonFields.READ.text(in, "path", where + "[]", 1, InputTree.MAX_PATH_CHARS),
              JsonFields.READ.text(in, "digest", where + "[]", 1, 71),
              JsonFields.READ.integer(in, "size", where + "[]", 0, RunMessage.MAX_SIZE),
              readOnly.booleanValue()));
    }
    return inputs;
  }

  private static void putMissing(ObjectNode node, List<String> missing) {
    if (missing != null) {
      ArrayNode array = node.putArray("missing_inputs");
      missing.forEach(array::add);
    }
  }

  private static List<String> missing(JsonNode node, String where) {
    JsonNode array = node.get("missing_inputs");
    if (array == null) {
      return null;
    }
    if (!array.isArray() || array.size() > InputTree.MAX_INPUTS) {
      throw new ProtocolException(where + ".missing_inputs must be an array of at most 16 digests");
    }
    List<String> digests = new ArrayList<>();
    for (JsonNode d : array) {
      if (!d.isTextual()) {
        throw new ProtocolException(where + ".missing_inputs must hold strings");
      }
      digests.add(d.textValue());
    }
    return digests;
  }

  /** Like {@link #fields}, also allowing the {@code optional} ones. */
  private static void optionalFields(
      JsonNode node, String where, List<String> optional, String... required) {
    if (node == null || !node.isObject()) {
      throw new ProtocolException(where + " must be a JSON object");
    }
    ObjectNode withoutOptional = ((ObjectNode) node).deepCopy();
    withoutOptional.remove(optional);
    JsonFields.READ.object(withoutOptional, where, List.of(required), Unknown.REJECT);
    for (String name : optional) {
      if (node.has(name) && node.get(name).isNull()) {
        throw new ProtocolException(where + "." + name + " must not be null");
      }
    }
  }

  private static void fields(JsonNode node, String where, String... names) {
    JsonFields.READ.object(node, where, List.of(names), Unknown.REJECT);
  }

  private static String jobId(JsonNode node, String where) {
    return JsonFields.READ.matching(
        node, "job_id", where, 64, StrictFields.HEX_32_BYTES, "64 lowercase hex characters");
  }

  private static String moduleHash(JsonNode node, String where) {
    return JsonFields.READ.matching(
        node, "module_hash", where, 71, StrictFields.MODULE_HASH, "sha256:<64 lowercase hex>");
  }
}
