package io.alfer.experiment.results;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.alfer.core.storage.Hashes;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cells' resume state under {@code cells/} of the results directory: {@code <cell>.json} (the
 * selections so far and the last round's row) and {@code <cell>.model} (the classifier's
 * parameters). Each file is written to a temporary name and moved into place, the model first; the
 * JSON names the model's SHA-256, so a state is used only when both halves belong together. When a
 * cell is done its model file is deleted and its JSON stays: the record of what was picked.
 */
public final class StateStore {
  public static final String DIRECTORY = "cells";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final Path directory;

  public StateStore(Path resultsDirectory) {
    this.directory = resultsDirectory.resolve(DIRECTORY);
  }

  /** Saves a cell's state after a round. */
  public void save(Cell cell, CellState state) {
    try {
      Files.createDirectories(directory);
      writeAtomically(modelFile(cell), state.model());
      JsonObject json = new JsonObject();
      json.addProperty("cell", cell.fileKey());
      json.addProperty("round", state.round());
      json.add("initial", array(state.initial()));
      JsonArray picks = new JsonArray();
      state.picks().forEach(p -> picks.add(array(p)));
      json.add("picks", picks);
      json.add("row", row(state.row()));
      json.addProperty("model_sha256", Hashes.sha256Hex(state.model()));
      writeAtomically(stateFile(cell), GSON.toJson(json).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the state of " + cell.label(), e);
    }
  }

  /** Marks a cell finished: its model file goes, its selections stay. */
  public void finish(Cell cell) {
    try {
      Files.deleteIfExists(modelFile(cell));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The saved state of a cell, if there is a complete one (selections and the matching model). */
  public Optional<CellState> load(Cell cell) {
    Path json = stateFile(cell);
    Path model = modelFile(cell);
    if (!Files.isRegularFile(json) || !Files.isRegularFile(model)) {
      return Optional.empty();
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      byte[] parameters = Files.readAllBytes(model);
      if (!Hashes.sha256Hex(parameters).equals(o.get("model_sha256").getAsString())
          || !cell.fileKey().equals(o.get("cell").getAsString())) {
        return Optional.empty();
      }
      List<List<String>> picks = new ArrayList<>();
      o.getAsJsonArray("picks").forEach(p -> picks.add(strings(p.getAsJsonArray())));
      return Optional.of(
          new CellState(
              o.get("round").getAsInt(),
              strings(o.getAsJsonArray("initial")),
              picks,
              row(o.getAsJsonObject("row")),
              parameters));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state of " + cell.label(), e);
    } catch (RuntimeException e) {
      return Optional.empty(); // unreadable: the cell starts over, logged rounds stay logged
    }
  }

  /** The saved selections of a cell (also of a finished one), if any. */
  public Optional<JsonObject> selections(Cell cell) {
    Path json = stateFile(cell);
    if (!Files.isRegularFile(json)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonParser.parseString(Files.readString(json)).getAsJsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path stateFile(Cell cell) {
    return directory.resolve(cell.fileKey() + ".json");
  }

  private Path modelFile(Cell cell) {
    return directory.resolve(cell.fileKey() + ".model");
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, bytes);
  }

  private static JsonArray array(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static JsonObject row(ResultRow r) {
    JsonObject o = new JsonObject();
    o.addProperty("strategy", r.strategy());
    o.addProperty("mode", r.mode().label());
    o.addProperty("seed", r.seed());
    o.addProperty("round", r.round());
    o.addProperty("labelled", r.labelled());
    o.addProperty("accuracy", r.accuracy());
    JsonArray perClass = new JsonArray();
    for (double a : r.perClassAccuracy()) {
      perClass.add(Double.isNaN(a) ? "NaN" : Double.toString(a));
    }
    o.add("per_class_accuracy", perClass);
    o.addProperty("seconds", r.seconds());
    o.addProperty("select_seconds", r.selectSeconds());
    o.addProperty("train_seconds", r.trainSeconds());
    o.addProperty("cpu_seconds", r.cpuSeconds());
    o.addProperty("load_average", r.loadAverage());
    o.addProperty("epochs", r.epochs());
    o.addProperty("train_accuracy", r.trainAccuracy());
    o.addProperty("initial_set", r.initialSet());
    o.addProperty("finished_at", r.finishedAt().toString());
    return o;
  }

  private static ResultRow row(JsonObject o) {
    JsonArray pc = o.getAsJsonArray("per_class_accuracy");
    double[] perClass = new double[pc.size()];
    for (int i = 0; i < perClass.length; i++) {
      perClass[i] = Double.parseDouble(pc.get(i).getAsString());
    }
    return new ResultRow(
        o.get("strategy").getAsString(),
        Mode.of(o.get("mode").getAsString()),
        o.get("seed").getAsLong(),
        o.get("round").getAsInt(),
        o.get("labelled").getAsInt(),
        o.get("accuracy").getAsDouble(),
        perClass,
        o.get("seconds").getAsDouble(),
        o.get("select_seconds").getAsDouble(),
        o.get("train_seconds").getAsDouble(),
        o.get("cpu_seconds").getAsDouble(),
        o.get("load_average").getAsDouble(),
        o.get("epochs").getAsInt(),
        o.get("train_accuracy").getAsDouble(),
        o.get("initial_set").getAsString(),
        Instant.parse(o.get("finished_at").getAsString()));
  }
}
