package io.alfer.ml.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON of what libs/ml keeps in object storage (shard manifests, model metadata): records as
 * objects of their components, pretty-printed, null components left out, {@code NaN} and {@code
 * Infinity} as bare numbers; unknown fields are ignored when reading. This is the format the
 * earlier Gson-based code wrote, so objects it stored read unchanged.
 */
public final class StoredJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

  private StoredJson() {}

  /** Pretty-printed JSON of a record (or any value Jackson writes). */
  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getSimpleName() + " as JSON: " + problem(e), e);
    }
  }

  /**
   * Parses JSON into a record.
   *
   * @param what names the content in errors ("shard manifest")
   * @throws IllegalArgumentException "empty {@code what}" for blank text or {@code null}, else
   *     "unreadable {@code what}: " and the problem, with the field and line it is at
   */
  public static <T> T read(String json, Class<T> type, String what) {
    T value;
    try {
      value = json.isBlank() ? null : JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable " + what + ": " + problem(e), e);
    }
    if (value == null) {
      throw new IllegalArgumentException("empty " + what);
    }
    return value;
  }

  /**
   * A value as a JSON-like tree: maps, lists, strings, booleans and numbers as they read back from
   * the JSON text ({@link Integer} or {@link Long} for whole numbers, {@link Double} otherwise), so
   * the tree equals what a stored copy of it parses to.
   */
  public static Map<String, Object> tree(Object value) {
    try {
      return JSON.readValue(JSON.writeValueAsBytes(value), TREE);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot describe " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
    }
  }

  /** The problem without Jackson's source dump: the message, the field path and the line. */
  private static String problem(JsonProcessingException e) {
    StringBuilder out = new StringBuilder(e.getOriginalMessage());
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      out.append(" (at ")
          .append(
              m.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .collect(Collectors.joining(".")))
          .append(')');
    }
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      out.append(" on line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
    }
    return out.toString();
  }
}
