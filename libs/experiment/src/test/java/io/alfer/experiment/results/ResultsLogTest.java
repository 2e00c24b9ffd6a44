package io.alfer.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsLogTest {
  private static final List<String> FER7 =
      List.of("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral");

  private static final String FORMER_FILE = "results-before-commons-csv.csv";

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

  /** The rows of the fixture results-before-commons-csv.csv, which the former code wrote. */
  private static List<ResultRow> fixtureRows() {
    return List.of(
        Rows.row("entropy", Mode.SCRATCH, 1, 0, 20, 0.4321),
        Rows.row("entropy", Mode.SCRATCH, 1, 1, 30, 0.5),
        new ResultRow(
            "typiclust",
            Mode.PRETRAINED,
            2,
            0,
            20,
            1.0 / 3,
            new double[] {0, 1, Double.NaN, 0.1234567, 0.999999949, 2.0 / 3, 1e-7},
            1234.5678,
            0.0004,
            999.9996,
            3000.25,
            -1,
            160,
            1,
            ResultRow.STRATEGY_INITIAL,
            Instant.parse("2025-06-30T23:59:59.123456789Z")),
        new ResultRow(
            "badge",
            Mode.SCRATCH,
            3,
            2,
            40,
            0.61,
            new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
            5,
            1,
            4,
            7.5,
            12.345,
            0,
            0.0,
            ResultRow.RANDOM_INITIAL,
            Instant.parse("2025-07-01T00:00:00Z")));
  }

  private static byte[] fixture() throws Exception {
    try (InputStream in = ResultsLogTest.class.getResourceAsStream(FORMER_FILE)) {
      return in.readAllBytes();
    }
  }

  @Test
  void writesTheBytesTheFormerHandWrittenCodeWrote() throws Exception {
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      fixtureRows().forEach(log::append);
    }
    assertThat(Files.readAllBytes(dir.resolve(ResultsLog.FILE_NAME))).isEqualTo(fixture());
  }

  @Test
  void aFileWrittenByTheFormerCodeIsReadAndAppendedTo() throws Exception {
    Path file = dir.resolve(ResultsLog.FILE_NAME);
    Files.write(file, fixture());
    List<String> notes = new ArrayList<>();
    try (ResultsLog log = ResultsLog.open(dir, FER7, notes::add)) {
      assertThat(log.rows())
          .extracting(ResultRow::key)
          .containsExactly(
              "entropy-scratch-s1@0",
              "entropy-scratch-s1@1",
              "typiclust-pretrained-s2@0",
              "badge-scratch-s3@2");
      ResultRow cold = log.rows().get(2);
      assertThat(cold.accuracy()).isEqualTo(0.333333);
      assertThat(Arrays.toString(cold.perClassAccuracy()))
          .isEqualTo("[0.0, 1.0, NaN, 0.123457, 1.0, 0.666667, 0.0]");
      assertThat(cold.seconds()).isEqualTo(1234.568);
      assertThat(cold.loadAverage()).isEqualTo(-1.0);
      assertThat(cold.epochs()).isEqualTo(160);
      assertThat(cold.initialSet()).isEqualTo(ResultRow.STRATEGY_INITIAL);
      assertThat(cold.finishedAt()).isEqualTo(Instant.parse("2025-06-30T23:59:59.123456789Z"));
      assertThat(log.contains(new Cell("badge", Mode.SCRATCH, 3), 2)).isTrue();
      assertThatThrownBy(() -> log.append(fixtureRows().get(3))).hasMessageContaining("twice");
      log.append(Rows.row("badge", Mode.SCRATCH, 3, 3, 50, 0.7));
    }
    assertThat(notes).isEmpty();
    // the former code's line for that row, as it would have appended it
    String appended =
        "badge,scratch,3,3,50,0.700000,0.700000,0.500000,NaN,0.250000,0.000000,1.000000,"
            + "0.125000,15.500,1.250,10.500,20.000,1.50,7,0.875000,random,2025-01-02T03:04:05Z\n";
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .isEqualTo(new String(fixture(), StandardCharsets.UTF_8) + appended);
  }

  @Test
  void aFieldThatNeedsQuotingIsQuotedAndReadBack() throws Exception {
    String odd = "odd, \"quoted\" name";
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      log.append(Rows.row(odd, Mode.SCRATCH, 1, 0, 20, 0.5));
    }
    assertThat(Files.readAllLines(dir.resolve(ResultsLog.FILE_NAME)).get(1))
        .startsWith("\"odd, \"\"quoted\"\" name\",scratch,1,0,20,0.500000,");
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      assertThat(log.rows()).singleElement().extracting(ResultRow::strategy).isEqualTo(odd);
    }
  }

  @Test
  void aMalformedLineIsRefusedWithItsNumber() throws Exception {
    try (ResultsLog log = ResultsLog.open(dir, FER7, note -> {})) {
      log.append(Rows.row("bald", Mode.SCRATCH, 1, 0, 100, 0.4));
    }
    Path file = dir.resolve(ResultsLog.FILE_NAME);
    Files.writeString(file, "\nbald,scratch,1,1,150\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ResultsLog.open(dir, FER7, note -> {}))
        .hasMessageContaining("line 4 is malformed (5 fields, expected 22): bald,scratch,1,1,150");
    Files.writeString(file, "\"bald,scratch\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ResultsLog.open(dir, FER7, note -> {}))
        .hasMessageContaining("is malformed: not CSV");
  }
}
