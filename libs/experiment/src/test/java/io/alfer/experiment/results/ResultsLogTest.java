package io.alfer.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsLogTest {
  private static final List<String> FER7 =
      List.of("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral");

  @TempDir Path dir;

  @Test
  void rowsSurviveReopeningExactly() throws Exception {
    ResultRow a = Rows.row("entropy", Mode.SCRATCH, 1, 0, 100, 0.4321);
    ResultRow b = Rows.row("entropy", Mode.SCRATCH, 1, 1, 150, 0.5);
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      log.append(a);
      log.append(b);
    }
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      assertThat(log.rows()).hasSize(2);
      ResultRow read = log.rows().get(0);
      assertThat(read.key()).isEqualTo(a.key());
      assertThat(read.accuracy()).isEqualTo(0.4321);
      assertThat(read.perClassAccuracy()[2]).isNaN();
      assertThat(read.perClassAccuracy()[6]).isEqualTo(0.125);
      assertThat(read.cpuSeconds()).isEqualTo(20.0);
      assertThat(read.finishedAt()).isEqualTo(a.finishedAt());
      assertThat(log.roundsOf(new Cell("entropy", Mode.SCRATCH, 1))).containsExactly(0, 1);
      assertThat(log.roundsOf(new Cell("entropy", Mode.PRETRAINED, 1))).isEmpty();
    }
    assertThat(
            Files.readString(dir.resolve(ResultsLog.FILE_NAME)).lines().findFirst().orElseThrow())
        .isEqualTo(
            "strategy,mode,seed,round,labelled,accuracy,acc_angry,acc_disgust,acc_fear,acc_happy,"
                + "acc_sad,acc_surprise,acc_neutral,seconds,select_seconds,train_seconds,"
                + "cpu_seconds,load_average,epochs,train_accuracy,initial_set,finished_at");
  }

  @Test
  void aRoundIsNeverLoggedTwice() {
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      log.append(Rows.row("margin", Mode.PRETRAINED, 2, 0, 100, 0.4));
      assertThatThrownBy(() -> log.append(Rows.row("margin", Mode.PRETRAINED, 2, 0, 100, 0.9)))
          .hasMessageContaining("refusing to log margin/pretrained/seed 2 round 0 twice");
      assertThat(log.rows()).hasSize(1);
    }
  }

  @Test
  void aFileWithARoundTwiceIsRefusedOnOpening() throws Exception {
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      log.append(Rows.row("margin", Mode.PRETRAINED, 2, 0, 100, 0.4));
    }
    Path file = dir.resolve(ResultsLog.FILE_NAME);
    List<String> lines = Files.readAllLines(file);
    Files.writeString(file, lines.get(1) + "\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ResultsLog.open(dir, FER7, note -> {}))
        .hasMessageContaining("holds margin/pretrained/seed 2 round 0 twice (line 3)");
  }

  @Test
  void aLineCutShortByAKillIsRemovedAndReported() throws Exception {
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      log.append(Rows.row("bald", Mode.SCRATCH, 1, 0, 100, 0.4));
    }
    Path file = dir.resolve(ResultsLog.FILE_NAME);
    String complete = Files.readString(file);
    Files.writeString(file, "bald,scratch,1,1,150,0.4", StandardOpenOption.APPEND);
    List<String> notes = new ArrayList<>();
    try (ResultsLog log = ResultsLog.open(dir, FER7, notes::add)) {
      assertThat(log.rows()).hasSize(1);
      log.append(Rows.row("bald", Mode.SCRATCH, 1, 1, 150, 0.45));
    }
    assertThat(notes)
        .singleElement()
        .asString()
        .contains("incomplete last line", "bald,scratch,1,1");
    String after = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(after).startsWith(complete);
    assertThat(after.lines()).hasSize(3);
  }

  @Test
  void aFileOfAnotherDatasetIsRefused() {
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      log.append(Rows.row("bald", Mode.SCRATCH, 1, 0, 100, 0.4));
    }
    assertThatThrownBy(() -> ResultsLog.open(dir, List.of("calm", "excited"), note -> {}))
        .hasMessageContaining("has the columns")
        .hasMessageContaining("acc_calm");
  }
}
