package io.alfer.experiment.results;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON files of a results directory ({@value RunManifest#FILE_NAME}, the cells' states):
 * pretty-printed objects, null values kept, {@code NaN} and {@code Infinity} as bare numbers (as
 * the earlier Gson-based code wrote them, so its files read unchanged).
 */
final class JsonFiles {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private JsonFiles() {}

  /**
   * The object a file holds.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalStateException naming the file when it holds no JSON object
   */
  static ObjectNode read(Path file) throws IOException {
    String text = Files.readString(file);
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IllegalStateException(
          file
              + " is not valid JSON: "
              + e.getOriginalMessage()
              + (at == null ? "" : " on line " + at.getLineNr() + ", column " + at.getColumnNr()),
          e);
    }
    if (!(json instanceof ObjectNode object)) {
      throw new IllegalStateException(file + " does not hold a JSON object");
    }
    return object;
  }

  /** Pretty-printed JSON with a final newline. */
  static byte[] bytes(JsonNode json) {
    try {
      return (JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
