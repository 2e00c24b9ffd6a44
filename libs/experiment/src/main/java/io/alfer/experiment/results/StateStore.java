package io.alfer.experiment.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.core.storage.Hashes;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  private final Path directory;

  public StateStore(Path resultsDirectory) {
    this.directory = resultsDirectory.resolve(DIRECTORY);
  }

  /** Saves a cell's state after a round. */
  public void save(Cell cell, CellState state) {
    try {
      Files.createDirectories(directory);
      writeAtomically(modelFile(cell), state.model());
      ObjectNode json = JsonFiles.JSON.createObjectNode();
      json.put("cell", cell.fileKey());
      json.put("round", state.round());
      json.set("initial", array(state.initial()));
      ArrayNode picks = json.putArray("picks");
      state.picks().forEach(p -> picks.add(array(p)));
      json.set("row", row(state.row()));
      json.put("model_sha256", Hashes.sha256Hex(state.model()));
      writeAtomically(stateFile(cell), JsonFiles.bytes(json));
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
      ObjectNode o = JsonFiles.read(json);
      byte[] parameters = Files.readAllBytes(model);
      if (!Hashes.sha256Hex(parameters).equals(text(o, "model_sha256"))
          || !cell.fileKey().equals(text(o, "cell"))) {
        return Optional.empty();
      }
      List<List<String>> picks = new ArrayList<>();
      array(o, "picks").forEach(p -> picks.add(strings(p)));
      return Optional.of(
          new CellState(
              number(o, "round").intValue(),
              strings(member(o, "initial")),
              picks,
              row(member(o, "row")),
              parameters));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state of " + cell.label(), e);
    } catch (RuntimeException e) {
      return Optional.empty(); // unreadable: the cell starts over, logged rounds stay logged
    }
  }

  /** The saved selections of a cell (also of a finished one), if any. */
  public Optional<ObjectNode> selections(Cell cell) {
    Path json = stateFile(cell);
    if (!Files.isRegularFile(json)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonFiles.read(json));
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

  private static ArrayNode array(List<String> values) {
    ArrayNode a = JsonFiles.JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  private static ObjectNode row(ResultRow r) {
    ObjectNode o = JsonFiles.JSON.createObjectNode();
    o.put("strategy", r.strategy());
    o.put("mode", r.mode().label());
    o.put("seed", r.seed());
    o.put("round", r.round());
    o.put("labelled", r.labelled());
    o.put("accuracy", r.accuracy());
    ArrayNode perClass = o.putArray("per_class_accuracy");
    for (double a : r.perClassAccuracy()) {
      perClass.add(Double.isNaN(a) ? "NaN" : Double.toString(a));
    }
    o.put("seconds", r.seconds());
    o.put("select_seconds", r.selectSeconds());
    o.put("train_seconds", r.trainSeconds());
    o.put("cpu_seconds", r.cpuSeconds());
    o.put("load_average", r.loadAverage());
    o.put("epochs", r.epochs());
    o.put("train_accuracy", r.trainAccuracy());
    o.put("initial_set", r.initialSet());
    o.put("finished_at", r.finishedAt().toString());
    return o;
  }

  private static ResultRow row(JsonNode o) {
    List<String> pc = strings(member(o, "per_class_accuracy"));
    double[] perClass = new double[pc.size()];
    for (int i = 0; i < perClass.length; i++) {
      perClass[i] = Double.parseDouble(pc.get(i));
    }
    return new ResultRow(
        text(o, "strategy"),
        Mode.of(text(o, "mode")),
        number(o, "seed").longValue(),
        number(o, "round").intValue(),
        number(o, "labelled").intValue(),
        number(o, "accuracy").doubleValue(),
        perClass,
        number(o, "seconds").doubleValue(),
        number(o, "select_seconds").doubleValue(),
        number(o, "train_seconds").doubleValue(),
        number(o, "cpu_seconds").doubleValue(),
        number(o, "load_average").doubleValue(),
        number(o, "epochs").intValue(),
        number(o, "train_accuracy").doubleValue(),
        text(o, "initial_set"),
        Instant.parse(text(o, "finished_at")));
  }

  /**
   * A field of a state; a state that does not read as written (a field missing or of another type)
   * fails and is not used.
   */
  private static JsonNode member(JsonNode o, String name) {
    JsonNode value = o.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("no " + name);
    }
    return value;
  }

  private static String text(JsonNode o, String name) {
    JsonNode value = member(o, name);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(name + " is not a string: " + value);
    }
    return value.textValue();
  }

  private static JsonNode number(JsonNode o, String name) {
    JsonNode value = member(o, name);
    if (!value.isNumber()) {
      throw new IllegalArgumentException(name + " is not a number: " + value);
    }
    return value;
  }

  private static JsonNode array(JsonNode o, String name) {
    JsonNode value = member(o, name);
    if (!value.isArray()) {
      throw new IllegalArgumentException(name + " is not a list: " + value);
    }
    return value;
  }

  private static List<String> strings(JsonNode array) {
    if (!array.isArray()) {
      throw new IllegalArgumentException("not a list: " + array);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : array) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException("not a string: " + e);
      }
      out.add(e.textValue());
    }
    return out;
  }
}
