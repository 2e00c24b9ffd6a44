package io.alfer.experiment.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@value #FILE_NAME} of a results directory: what its numbers mean (the protocol, the dataset
 * snapshot, in-process or through the services) and a list of the runs that wrote to it. A run
 * whose identity differs from the stored one is refused with the differences listed, so results of
 * different configurations never mix in one table.
 */
public final class RunManifest {
  public static final String FILE_NAME = "experiment.json";
  private static final int FORMAT = 1;

  /** Numbers are equal when their values are, whether written {@code 7} or {@code 7.0}. */
  private static final Comparator<JsonNode> SAME_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          double x = a.doubleValue();
          double y = b.doubleValue();
          return x == y || (Double.isNaN(x) && Double.isNaN(y)) ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
      };

  private RunManifest() {}

  /**
   * Records a run in the directory's manifest, creating it on the first run.
   *
   * @param identity what must be equal for results to share the directory (plain maps, lists,
   *     strings, numbers, booleans)
   * @param run what this run does (cells requested, profile, start time)
   * @throws IllegalStateException when the directory holds results of another identity
   */
  public static void claim(Path directory, Map<String, Object> identity, Map<String, Object> run) {
    Path file = directory.resolve(FILE_NAME);
    ObjectNode wanted = JsonFiles.JSON.valueToTree(identity);
    try {
      Files.createDirectories(directory);
      ObjectNode manifest;
      if (Files.isRegularFile(file)) {
        manifest = JsonFiles.read(file);
        JsonNode stored = manifest.get("identity");
        List<String> differences = new ArrayList<>();
        diff("", stored == null ? JsonFiles.JSON.createObjectNode() : stored, wanted, differences);
        if (!differences.isEmpty()) {
          throw new IllegalStateException(
              "the results directory "
                  + directory
                  + " holds an experiment with a different configuration; refusing to mix"
                  + " results. Differences (this run vs. the directory): "
                  + String.join("; ", differences)
                  + ". Use another --results directory, or repeat the options of "
                  + file);
        }
      } else {
        manifest = JsonFiles.JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("created_at", Instant.now().toString());
        manifest.set("identity", wanted);
        manifest.putArray("runs");
      }
      ObjectNode entry = JsonFiles.JSON.valueToTree(run);
      entry.put("started_at", Instant.now().toString());
      manifest.withArrayProperty("runs").add(entry);
      AtomicFiles.write(file, JsonFiles.bytes(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The stored identity of a directory, or null when it has none yet.
   *
   * @throws IllegalStateException naming the file when it is not a JSON object
   */
  public static ObjectNode identity(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JsonFiles.read(file).get("identity") instanceof ObjectNode identity ? identity : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void diff(String path, JsonNode stored, JsonNode wanted, List<String> out) {
    if (stored != null && wanted != null && stored.isObject() && wanted.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      stored.fieldNames().forEachRemaining(keys::add);
      wanted.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        diff(path.isEmpty() ? key : path + "." + key, stored.get(key), wanted.get(key), out);
      }
      return;
    }
    if (!same(stored, wanted)) {
      out.add(path + " " + show(wanted) + " vs. " + show(stored));
    }
  }

  /** Equal trees, numbers compared by value (also inside lists). */
  private static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(SAME_VALUE, b);
  }

  private static String show(JsonNode e) {
    return e == null ? "(unset)" : e.toString();
  }
}
