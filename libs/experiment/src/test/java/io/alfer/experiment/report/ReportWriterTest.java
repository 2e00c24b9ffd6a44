package io.alfer.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.experiment.config.Mode;
import io.alfer.experiment.results.ResultRow;
import io.alfer.experiment.results.Rows;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir Path dir;

  private static final Map<String, Double> BASE =
      Map.of("random", 0.30, "entropy", 0.34, "typiclust", 0.33);

  /** A cell's accuracy in a round. */
  private interface Accuracy {
    double of(String strategy, Mode mode, long seed, int round);
  }

  /**
   * Accuracy = base + 5 points per round + 10 points pre-trained (+ 4 for typiclust in round 0) ± 1
   * by seed.
   */
  private static List<ResultRow> rows() {
    return rows(
        (strategy, mode, seed, round) ->
            BASE.get(strategy)
                + 0.05 * round
                + (mode == Mode.PRETRAINED ? 0.10 : 0)
                + (mode == Mode.PRETRAINED && strategy.equals("typiclust") && round == 0 ? 0.04 : 0)
                + (seed == 1 ? -0.01 : 0.01));
  }

  /** Random, entropy and typiclust in both modes, seeds 1 and 2, rounds 0..2. */
  private static List<ResultRow> rows(Accuracy accuracy) {
    List<ResultRow> rows = new ArrayList<>();
    for (long seed : new long[] {1, 2}) {
      for (String strategy : List.of("random", "entropy", "typiclust")) {
        for (Mode mode : Mode.values()) {
          for (int round = 0; round <= 2; round++) {
            rows.add(
                Rows.row(
                    strategy,
                    mode,
                    seed,
                    round,
                    100 + 50 * round,
                    accuracy.of(strategy, mode, seed, round)));
          }
        }
      }
    }
    return rows;
  }

  @Test
  void writesTableOneItsCsvsThePlotsAndOneSelfContainedPage() throws Exception {
    Tables.Context context = new Tables.Context("test run", 1000, List.of("protocol line"));
    ReportWriter.write(dir, context, rows());

    String md = Files.readString(dir.resolve(ReportWriter.TABLE_MD));
    List<String> tableOne = section(md, "## Table I");
    assertThat(tableOne.get(0)).contains("round 2, 200 labelled, 20.0% of the pool");
    List<String> tableRows =
        tableOne.stream().filter(l -> l.startsWith("| ") && !l.startsWith("| strategy")).toList();
    assertThat(tableRows)
        .containsExactly(
            "| random | 40.0 ± 1.4 | 50.0 ± 1.4 | +10.0 |",
            "| entropy | 44.0 ± 1.4 | 54.0 ± 1.4 | +10.0 |",
            "| typiclust | 43.0 ± 1.4 | 53.0 ± 1.4 | +10.0 |");
    List<String> perRound = section(md, "## Accuracy per round, pre-trained");
    assertThat(perRound.get(2))
        .isEqualTo("| strategy | r0: 100 (10%) | r1: 150 (15%) | r2: 200 (20%) |");
    assertThat(perRound).contains("| typiclust | 47.0 ± 1.4 | 48.0 ± 1.4 | 53.0 ± 1.4 |");
    assertThat(section(md, "## Gain of pre-training per round"))
        .contains("| typiclust | +14.0 | +10.0 | +10.0 |");

    List<String> csv = Files.readAllLines(dir.resolve(ReportWriter.TABLE_CSV));
    assertThat(csv).hasSize(1 + 3 * 2 * 3);
    assertThat(csv).contains("entropy,pretrained,1,150,15.00,2,49.0000,1.4142");
    assertThat(Files.readAllLines(dir.resolve(ReportWriter.GAINS_CSV))).hasSize(1 + 3 * 3);

    for (String plot : List.of("random", "entropy", "typiclust", "scratch", "pretrained")) {
      BufferedImage image = ImageIO.read(dir.resolve("plots").resolve(plot + ".png").toFile());
      assertThat(image).as(plot).isNotNull();
      assertThat(image.getWidth()).isEqualTo(960);
      assertThat(image.getHeight()).isEqualTo(600);
    }
    String html = Files.readString(dir.resolve(ReportWriter.HTML));
    assertThat(html.split("data:image/png;base64,", -1)).hasSize(1 + 5);
    assertThat(html).contains("<h2>Table I", "<td>typiclust</td>");
  }

  @Test
  void theHeadlineComparesTheBestStrategiesRoundByRound() {
    List<Tables.Check> checks = Tables.headline(new Summary(rows()));
    Tables.Check overRandom = checks.get(0);
    assertThat(overRandom.claim()).isEqualTo("best strategy pre-trained vs random from scratch");
    assertThat(overRandom.round()).isEqualTo(1);
    assertThat(overRandom.winner()).isEqualTo("entropy (pre-trained)");
    assertThat(overRandom.margin()).isCloseTo(14.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(overRandom.met()).isTrue();
    Tables.Check overBest = checks.get(2);
    assertThat(overBest.claim())
        .isEqualTo("best strategy pre-trained vs best strategy from scratch");
    assertThat(overBest.margin()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    Tables.Check coldRound0 = checks.get(4);
    assertThat(coldRound0.round()).isZero();
    assertThat(coldRound0.winner()).isEqualTo("typiclust (pre-trained)");
    assertThat(coldRound0.margin()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(checks.get(5).met()).isFalse(); // round 1: typiclust 48 vs entropy 49
  }

  @Test
  void theCsvTablesAreTheBytesTheFormerHandWrittenCodeWrote() throws Exception {
    List<ResultRow> rows =
        new ArrayList<>(
            rows(
                (strategy, mode, seed, round) ->
                    0.3
                        + (strategy.length() % 3) * 0.02
                        + 0.05 * round
                        + (mode == Mode.PRETRAINED ? 0.1 : 0)
                        + (seed == 1 ? -0.013 : 0.011)));
    // uneven cells: one seed only, one mode only, a strategy in one round
    rows.add(Rows.row("bald", Mode.SCRATCH, 1, 0, 100, 0.3));
    rows.add(Rows.row("coreset", Mode.PRETRAINED, 1, 1, 150, 0.41));
    ReportWriter.write(dir, new Tables.Context("fixture", 1000, List.of("x")), rows);

    assertThat(Files.readAllBytes(dir.resolve(ReportWriter.TABLE_CSV)))
        .isEqualTo(resource("table1-before-commons-csv.csv"));
    assertThat(Files.readAllBytes(dir.resolve(ReportWriter.GAINS_CSV)))
        .isEqualTo(resource("gains-before-commons-csv.csv"));
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = ReportWriterTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static List<String> section(String md, String heading) {
    int start = md.indexOf(heading);
    assertThat(start).as(heading).isNotNegative();
    int end = md.indexOf("\n## ", start + 1);
    return md.substring(start, end < 0 ? md.length() : end).lines().toList();
  }
}
