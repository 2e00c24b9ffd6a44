package io.alfer.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.cli.AlferCli;
import io.alfer.experiment.engine.Machine;
import io.alfer.testkit.EmbeddedKafka;
import io.alfer.testkit.S3ProxyServer;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code alfer experiment --profile smoke}, shrunk to seconds (a 200-image synthetic set at 16 px,
 * two strategies, two seeds, two rounds), against a real Kafka broker and S3 server: the dataset is
 * generated into storage, the run is stopped after three cells and run again, and the outputs are
 * checked.
 */
class ExperimentCommandTest {
  private static final int CELLS = 2 * 2 * 2;
  private static final int ROUNDS = 3; // round 0 and two selection rounds

  @TempDir Path tmp;

  @BeforeAll
  static void engineOffline() {
    // The native library comes from the jar; unpack it once under target/, not per test home.
    System.setProperty("DJL_CACHE_DIR", Path.of("target/djl-cache").toAbsolutePath().toString());
    System.setProperty("ai.djl.offline", "true");
    Machine.preferPassiveOpenMpWaiting(); // the build machine's cores are shared
  }

  private List<String> command(String dataset, String rounds, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "experiment",
                "--profile",
                "smoke",
                "--dataset",
                dataset,
                "--generate",
                "--synthetic-images",
                "200",
                "--image-size",
                "16",
                "--strategies",
                "random,typiclust",
                "--seeds",
                "1,2",
                "--rounds",
                rounds,
                "--pretrain-epochs",
                "1",
                "--pretrain-batch",
                "32",
                "--finetune-epochs",
                "2",
                "--results",
                tmp.resolve("results").toString(),
                "--home",
                tmp.resolve("home").toString(),
                "--kafka-bootstrap",
                EmbeddedKafka.shared().bootstrapServers(),
                "--s3-endpoint",
                S3ProxyServer.shared().settings().endpoint()));
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void smokeRunStopsAfterSomeCellsGoesOnWithoutRedoingThemAndWritesTheTables() throws Exception {
    String dataset = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    Path results = tmp.resolve("results");
    Path csv = results.resolve("results.csv");

    Result first = run(command(dataset, "2", "--max-cells", "3"));
    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.out())
        .contains("generating 200 synthetic FER images")
        .contains("3 cells run now, 0 were complete already, 5 left");
    String afterFirst = Files.readString(csv);
    assertThat(afterFirst.lines()).hasSize(1 + 3 * ROUNDS);

    Result second = run(command(dataset, "2"));
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.out())
        .doesNotContain("generating")
        .contains("3 of " + CELLS + " cells are complete")
        .contains("5 cells run now, 3 were complete already");
    String afterSecond = Files.readString(csv);
    assertThat(afterSecond).startsWith(afterFirst); // nothing rewritten, nothing redone
    List<String> lines = afterSecond.lines().toList();
    assertThat(lines).hasSize(1 + CELLS * ROUNDS);
    Set<String> keys = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertThat(keys.add(f[0] + "/" + f[1] + "/" + f[2] + "@" + f[3])).as(line).isTrue();
    }

    String md = Files.readString(results.resolve("table1.md"));
    List<String> tableOne = rows(section(md, "## Table I"));
    assertThat(tableOne).hasSize(2);
    assertThat(tableOne.get(0)).startsWith("| random | ");
    assertThat(tableOne.get(1)).startsWith("| typiclust | ");
    for (String row : tableOne) {
      assertThat(row.split("\\|")).hasSize(5); // strategy, scratch, pre-trained, gain
      assertThat(row).doesNotContain("–").contains("±");
    }
    for (String heading :
        List.of("## Accuracy per round, from scratch", "## Accuracy per round, pre-trained")) {
      List<String> section = section(md, heading);
      assertThat(section.get(2)).startsWith("| strategy | r0: ").contains("r1: ", "r2: ");
      assertThat(rows(section)).hasSize(2).allMatch(r -> r.split("\\|").length == 5);
    }
    assertThat(md).contains("## Gain of pre-training per round");
    List<String> table = Files.readAllLines(results.resolve("table1.csv"));
    assertThat(table).hasSize(1 + 2 * 2 * ROUNDS);
    assertThat(table.subList(1, table.size())).allMatch(l -> l.split(",")[5].equals("2"));
    for (String plot : List.of("random", "typiclust", "scratch", "pretrained")) {
      BufferedImage image = ImageIO.read(results.resolve("plots/" + plot + ".png").toFile());
      assertThat(image).as(plot).isNotNull();
    }
    assertThat(Files.readString(results.resolve("report.html")).split("data:image/png;base64,"))
        .hasSize(1 + 4);
    assertThat(second.out()).contains("## Table I");

    Result other = run(command(dataset, "1"));
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("different configuration", "protocol.rounds 1 vs. 2");
    assertThat(Files.readString(csv)).isEqualTo(afterSecond);
  }

  private static List<String> section(String md, String heading) {
    int start = md.indexOf(heading);
    assertThat(start).as(heading).isNotNegative();
    int end = md.indexOf("\n## ", start + 1);
    return md.substring(start, end < 0 ? md.length() : end).lines().toList();
  }

  private static List<String> rows(List<String> section) {
    return section.stream().filter(l -> l.startsWith("| ") && !l.startsWith("| strategy")).toList();
  }

  private record Result(int code, String out, String err) {}

  private static Result run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AlferCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    long start = System.nanoTime();
    int code = cli.execute(args.toArray(String[]::new));
    System.out.printf(
        "alfer %s: exit %d in %.1f s%n%s%s%n",
        String.join(" ", args), code, (System.nanoTime() - start) / 1e9, out, err);
    return new Result(code, out.toString(), err.toString());
  }
}
