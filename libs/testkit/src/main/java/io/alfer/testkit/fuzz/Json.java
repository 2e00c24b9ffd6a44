package io.alfer.testkit.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random JSON documents, and JSON documents changed in their structure or types. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] KEYS = {
    "file",
    "label",
    "labels",
    "split",
    "layout",
    "dataset",
    "classes",
    "size",
    "vendor",
    "task",
    "id",
    "image",
    "name",
    "type",
    "version",
    "data",
    "",
    "__proto__",
    "ключ"
  };
  private static final String[] STRINGS = {
    "",
    " ",
    "happy",
    "null",
    "true",
    "0",
    "-1",
    "1e309",
    "\u0000",
    "\u202e",
    "😀",
    "\"",
    "\\",
    "x".repeat(5000),
    "../../etc/passwd",
    "<script>",
    "%s%n",
    "SELECT 1;"
  };

  private Json() {}

  /** A random JSON document as bytes; a third of the time cut short or with a stray character. */
  static byte[] random(Random random) {
    String text = write(value(random, 0));
    if (random.nextInt(3) == 0 && !text.isEmpty()) {
      int at = random.nextInt(text.length());
      text =
          random.nextBoolean()
              ? text.substring(0, at)
              : text.substring(0, at) + ",}]:\"".charAt(random.nextInt(5)) + text.substring(at);
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code json} with 1 to 3 changes: a value replaced by one of another type, a field removed, an
   * unknown field added, a value wrapped in an array, a value nested very deep. Null when {@code
   * json} is not JSON.
   */
  static byte[] mutate(byte[] json, Random random) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return null;
    }
    if (root == null) {
      return null;
    }
    root = root.deepCopy();
    int changes = 1 + random.nextInt(3);
    for (int i = 0; i < changes; i++) {
      root = change(root, random);
    }
    return write(root).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode change(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    if (containers.isEmpty() || random.nextInt(8) == 0) {
      return value(random, 0); // the whole document replaced
    }
    JsonNode container = containers.get(random.nextInt(containers.size()));
    if (container instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      int op = random.nextInt(5);
      if (names.isEmpty() || op == 0) {
        object.set(KEYS[random.nextInt(KEYS.length)] + random.nextInt(3), value(random, 2));
        return root;
      }
      String name = names.get(random.nextInt(names.size()));
      switch (op) {
        case 1 -> object.remove(name);
        case 2 -> object.set(name, NODES.arrayNode().add(object.get(name)));
        case 3 -> object.set(name, deep(random));
        default -> object.set(name, value(random, 2));
      }
    } else if (container instanceof ArrayNode array) {
      if (array.isEmpty() || random.nextBoolean()) {
        array.add(value(random, 2));
      } else {
        array.set(random.nextInt(array.size()), value(random, 2));
      }
    }
    return root;
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.elements().forEachRemaining(child -> collect(child, out));
    }
  }

  /** An array nested a few hundred levels deep. */
  private static JsonNode deep(Random random) {
    ArrayNode top = NODES.arrayNode();
    ArrayNode at = top;
    int depth = 100 + random.nextInt(400);
    for (int i = 0; i < depth; i++) {
      at = at.addArray();
    }
    return top;
  }

  private static JsonNode value(Random random, int depth) {
    int kind = random.nextInt(depth >= 3 ? 5 : 7);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> number(random);
      case 3, 4 -> NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
      case 5 -> {
        ArrayNode a = NODES.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.add(value(random, depth + 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          o.set(KEYS[random.nextInt(KEYS.length)], value(random, depth + 1));
        }
        yield o;
      }
    };
  }

  private static JsonNode number(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> NODES.numberNode(random.nextInt(20) - 5);
      case 1 -> NODES.numberNode(random.nextLong());
      case 2 -> NODES.numberNode(random.nextDouble() * 1e6 - 5e5);
      case 3 -> NODES.numberNode(new BigInteger(200, random));
      default -> NODES.numberNode(Double.MAX_VALUE);
    };
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
