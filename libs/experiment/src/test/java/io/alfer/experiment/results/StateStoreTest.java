package io.alfer.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.storage.Hashes;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  private static final Cell CELL = new Cell("entropy", Mode.SCRATCH, 2);
  private static final byte[] MODEL = {1, 2, 3, 4, 5};

  /**
   * A state as the earlier Gson-based code saved it: pretty-printed, per-class accuracies as
   * strings, unmeasured times as bare {@code NaN}, no final newline.
   */
  private static final String STORED =
      """
      {
        "cell": "entropy-scratch-s2",
        "round": 1,
        "initial": [
          "img-001",
          "img-002",
          "img-003"
        ],
        "picks": [
          [
            "img-007",
            "img-004"
          ]
        ],
        "row": {
          "strategy": "entropy",
          "mode": "scratch",
          "seed": 2,
          "round": 1,
          "labelled": 5,
          "accuracy": 0.4375,
          "per_class_accuracy": [
            "0.5",
            "NaN",
            "0.25"
          ],
          "seconds": 12.5,
          "select_seconds": NaN,
          "train_seconds": NaN,
          "cpu_seconds": 20.0,
          "load_average": 1.5,
          "epochs": 7,
          "train_accuracy": 0.875,
          "initial_set": "random",
          "finished_at": "2025-01-02T03:04:05Z"
        },
        "model_sha256": "%s"
      }"""
          .formatted(Hashes.sha256Hex(MODEL));

  @TempDir Path results;

  private Path file(String suffix) {
    return results.resolve(StateStore.DIRECTORY).resolve(CELL.fileKey() + suffix);
  }

  private void store(String json) throws Exception {
    Files.createDirectories(file(".json").getParent());
    Files.writeString(file(".json"), json);
    Files.write(file(".model"), MODEL);
  }

  @Test
  void loadsAStateTheGsonCodeSaved() throws Exception {
    store(STORED);
    CellState state = new StateStore(results).load(CELL).orElseThrow();
    assertThat(state.round()).isEqualTo(1);
    assertThat(state.initial()).containsExactly("img-001", "img-002", "img-003");
    assertThat(state.picks()).containsExactly(List.of("img-007", "img-004"));
    assertThat(state.model()).isEqualTo(MODEL);
    ResultRow row = state.row();
    assertThat(row.cell()).isEqualTo(CELL);
    assertThat(row.round()).isEqualTo(1);
    assertThat(row.labelled()).isEqualTo(5);
    assertThat(row.accuracy()).isEqualTo(0.4375);
    assertThat(row.perClassAccuracy()).containsExactly(0.5, Double.NaN, 0.25);
    assertThat(row.seconds()).isEqualTo(12.5);
    assertThat(row.selectSeconds()).isNaN();
    assertThat(row.trainSeconds()).isNaN();
    assertThat(row.cpuSeconds()).isEqualTo(20.0);
    assertThat(row.loadAverage()).isEqualTo(1.5);
    assertThat(row.epochs()).isEqualTo(7);
    assertThat(row.trainAccuracy()).isEqualTo(0.875);
    assertThat(row.initialSet()).isEqualTo(ResultRow.RANDOM_INITIAL);
    assertThat(row.finishedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
    assertThat(new StateStore(results).selections(CELL).orElseThrow().get("initial")).hasSize(3);
  }

  @Test
  void savesWhatItLoadsAndKeepsTheSelectionsOfAFinishedCell() throws Exception {
    StateStore states = new StateStore(results);
    ResultRow row =
        new ResultRow(
            "entropy",
            Mode.SCRATCH,
            2,
            2,
            9,
            0.625,
            new double[] {0.5, Double.NaN, 1e-4},
            14.5,
            1.25,
            Double.NaN,
            Double.NaN,
            1.5,
            7,
            0.875,
            ResultRow.RANDOM_INITIAL,
            Instant.parse("2025-01-02T03:04:05.123Z"));
    CellState saved =
        new CellState(2, List.of("a", "b"), List.of(List.of("c"), List.of("d", "e")), row, MODEL);
    states.save(CELL, saved);

    CellState loaded = states.load(CELL).orElseThrow();
    assertThat(loaded)
        .usingRecursiveComparison()
        .withEqualsForType(Double::equals, Double.class)
        .isEqualTo(saved);
    assertThat(Files.readString(file(".json")))
        .startsWith("{\n  \"cell\"")
        .containsPattern("\"select_seconds\" ?: 1.25,")
        .containsPattern("\"train_seconds\" ?: NaN,")
        .contains("\"NaN\"", "\"1.0E-4\"");

    states.finish(CELL);
    assertThat(file(".model")).doesNotExist();
    assertThat(states.load(CELL)).isEmpty();
    assertThat(states.selections(CELL).orElseThrow().get("picks").get(1).get(1).textValue())
        .isEqualTo("e");
  }

  @Test
  void aStateThatDoesNotMatchOrDoesNotReadIsNotUsed() throws Exception {
    StateStore states = new StateStore(results);
    assertThat(states.load(CELL)).isEmpty();
    for (String damaged :
        List.of(
            STORED.replace("\"cell\": \"entropy-scratch-s2\"", "\"cell\": \"entropy-scratch-s3\""),
            STORED.replace("\"model_sha256\": \"", "\"model_sha256\": \"0"),
            STORED.substring(0, STORED.length() / 2),
            STORED.replace("\"labelled\": 5", "\"labelled\": \"five\""),
            STORED.replace("\"initial_set\": \"random\",", ""),
            STORED.replace("\"round\": 1,\n  \"initial\"", "\"round\": 2,\n  \"initial\""),
            "[]")) {
      store(damaged);
      assertThat(states.load(CELL)).as(damaged).isEmpty();
    }
  }
}
