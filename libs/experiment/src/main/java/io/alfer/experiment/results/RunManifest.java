package io.alfer.experiment.results;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

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
    JsonObject wanted = GSON.toJsonTree(identity).getAsJsonObject();
    try {
      Files.createDirectories(directory);
      JsonObject manifest;
      if (Files.isRegularFile(file)) {
        manifest = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        JsonObject stored = manifest.getAsJsonObject("identity");
        List<String> differences = new ArrayList<>();
        diff("", stored == null ? new JsonObject() : stored, wanted, differences);
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
        manifest = new JsonObject();
        manifest.addProperty("format", FORMAT);
        manifest.addProperty("created_at", Instant.now().toString());
        manifest.add("identity", wanted);
        manifest.add("runs", new JsonArray());
      }
      JsonObject entry = GSON.toJsonTree(run).getAsJsonObject();
      entry.addProperty("started_at", Instant.now().toString());
      manifest.getAsJsonArray("runs").add(entry);
      AtomicFiles.write(file, (GSON.toJson(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The stored identity of a directory, or null when it has none yet. */
  public static JsonObject identity(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JsonParser.parseString(Files.readString(file))
          .getAsJsonObject()
          .getAsJsonObject("identity");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void diff(String path, JsonElement stored, JsonElement wanted, List<String> out) {
    if (stored != null && wanted != null && stored.isJsonObject() && wanted.isJsonObject()) {
      TreeSet<String> keys = new TreeSet<>(stored.getAsJsonObject().keySet());
      keys.addAll(wanted.getAsJsonObject().keySet());
      for (String key : keys) {
        diff(
            path.isEmpty() ? key : path + "." + key,
            stored.getAsJsonObject().get(key),
            wanted.getAsJsonObject().get(key),
            out);
      }
      return;
    }
    if (!same(stored, wanted)) {
      out.add(path + " " + show(wanted) + " vs. " + show(stored));
    }
  }

  private static boolean same(JsonElement a, JsonElement b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isJsonPrimitive()
        && b.isJsonPrimitive()
        && a.getAsJsonPrimitive().isNumber()
        && b.getAsJsonPrimitive().isNumber()) {
      return a.getAsDouble() == b.getAsDouble();
    }
    return a.equals(b);
  }

  private static String show(JsonElement e) {
    return e == null ? "(unset)" : e.toString();
  }
}
