package io.alfer.label.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.alfer.label.contract.UnreadableResult.Problem;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The JSON form of the vendor contract's messages: protobuf's canonical JSON mapping
 * (lowerCamelCase field names, RFC 3339 timestamps). Tasks are written with every field, defaults
 * included, so a vendor never has to know proto3's omission rules; unknown fields in results are
 * ignored, so a vendor may add its own.
 *
 * <p>Results are read strictly. protobuf's parser coerces (it takes {@code ["sad"]} or {@code 7}
 * for a string, {@code "0.9"} for a number), so a result is first read with Jackson, which refuses
 * what is not JSON, a name given twice and anything after the object; then every field of the
 * result it contains is checked to have the JSON type of the contract (a string field a JSON
 * string, a number field a JSON number, a timestamp a string, a message an object, a repeated field
 * an array), {@code null} counting as the field left out. Only then does protobuf's parser build
 * the message, from the checked tree, for the rest of the mapping (RFC 3339 timestamps, 32-bit
 * ranges, protobuf's field names).
 */
public final class ContractJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Numbers pass to protobuf's parser as written (1e400 stays out of a float's range).
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /** How much of a wrong value a refusal's message quotes. */
  private static final int QUOTE = 80;

  private ContractJson() {}

  /** A task as JSON text. */
  public static String task(LabelTask task) {
    return print(task);
  }

  /** A result as JSON text. */
  public static String result(LabelResult result) {
    return print(result);
  }

  /**
   * Parses a result strictly (see the class comment); throws {@link UnreadableResult} saying what
   * is wrong when the bytes are not a JSON object of the result's form.
   */
  public static LabelResult parseResult(byte[] json) {
    if (json == null) {
      throw malformed("", "the record has no value", null);
    }
    JsonNode tree;
    try {
      tree = STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      throw malformed("", "not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw malformed("", "not JSON: " + e.getMessage(), e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw malformed("", "no JSON: the value is empty", null);
    }
    if (!tree.isObject()) {
      throw malformed("", "not a JSON object but " + describe(tree), null);
    }
    JsonNode vendorNode = tree.get("vendor");
    String vendor = vendorNode != null && vendorNode.isTextual() ? vendorNode.textValue() : "";
    checkTypes(tree, LabelResult.getDescriptor(), "", vendor);
    LabelResult.Builder b = LabelResult.newBuilder();
    try {
      PARSER.merge(tree.toString(), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw malformed(vendor, "not a LabelResult in JSON form: " + e.getMessage(), e);
    }
    return b.build();
  }

  /** Parses a result from JSON text (see {@link #parseResult(byte[])}). */
  public static LabelResult parseResult(String json) {
    return parseResult(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses a task (as read back from a vendor's task topic, written by this service); throws {@link
   * IllegalArgumentException} with what is wrong when the bytes are not a task in JSON form.
   */
  public static LabelTask parseTask(byte[] json) {
    LabelTask.Builder b = LabelTask.newBuilder();
    try {
      PARSER.merge(new String(json, StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("not a LabelTask in JSON form: " + e.getMessage(), e);
    }
    return b.build();
  }

  /**
   * Checks that every field of {@code type} present in {@code object} (by its JSON or its protobuf
   * name) has the JSON type of the contract; unknown names are left alone.
   */
  static void checkTypes(JsonNode object, Descriptor type, String path, String vendor) {
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      FieldDescriptor field = field(type, member.getKey());
      JsonNode value = member.getValue();
      if (field == null || value.isNull()) {
        continue;
      }
      String name = path + member.getKey();
      if (field.isMapField()) {
        require(value.isObject(), name, "an object", value, vendor);
      } else if (field.isRepeated()) {
        require(value.isArray(), name, "an array", value, vendor);
        for (int i = 0; i < value.size(); i++) {
          checkValue(field, value.get(i), name + "[" + i + "]", vendor);
        }
      } else {
        checkValue(field, value, name, vendor);
      }
    }
  }

  /** Checks one (non-repeated) value of {@code field}; {@code null} is protobuf's business. */
  private static void checkValue(
      FieldDescriptor field, JsonNode value, String name, String vendor) {
    if (value.isNull()) {
      return;
    }
    switch (field.getJavaType()) {
      case STRING, BYTE_STRING -> require(value.isTextual(), name, "a string", value, vendor);
      case INT, FLOAT, DOUBLE -> require(value.isNumber(), name, "a number", value, vendor);
      // The canonical mapping writes 64-bit integers as strings (JavaScript loses their precision).
      case LONG ->
          require(
              value.isNumber() || value.isTextual(), name, "a number or a string", value, vendor);
      case BOOLEAN -> require(value.isBoolean(), name, "true or false", value, vendor);
      case ENUM ->
          require(
              value.isTextual() || value.isIntegralNumber(),
              name,
              "a string (or a number)",
              value,
              vendor);
      case MESSAGE -> {
        String wellKnown = field.getMessageType().getFullName();
        if (wellKnown.equals("google.protobuf.Timestamp")
            || wellKnown.equals("google.protobuf.Duration")
            || wellKnown.equals("google.protobuf.FieldMask")) {
          require(value.isTextual(), name, "a string", value, vendor);
        } else if (!wellKnown.startsWith("google.protobuf.")) {
          require(value.isObject(), name, "an object", value, vendor);
          checkTypes(value, field.getMessageType(), name + ".", vendor);
        }
        // Other well-known types (wrappers, Struct, Value, Any) have mappings of their own.
      }
    }
  }

  private static FieldDescriptor field(Descriptor type, String name) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(name) || f.getName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static void require(
      boolean ok, String name, String expected, JsonNode value, String vendor) {
    if (!ok) {
      throw new UnreadableResult(
          Problem.FIELD_TYPE,
          vendor,
          "field '" + name + "' must be " + expected + ", not " + describe(value),
          null);
    }
  }

  /** A JSON value for a refusal's message: its type and (the start of) its text. */
  private static String describe(JsonNode value) {
    String kind =
        switch (value.getNodeType()) {
          case ARRAY -> "an array";
          case STRING -> "a string";
          case NUMBER -> "a number";
          case BOOLEAN -> "a boolean";
          case NULL -> "null";
          default -> "an object";
        };
    if (value.isNull()) {
      return kind;
    }
    String text = value.toString();
    return kind + ": " + (text.length() > QUOTE ? text.substring(0, QUOTE) + "…" : text);
  }

  private static UnreadableResult malformed(String vendor, String message, Throwable cause) {
    return new UnreadableResult(Problem.MALFORMED, vendor, message, cause);
  }

  private static String print(com.google.protobuf.MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
