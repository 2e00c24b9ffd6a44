package io.alfer.cli.bench.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench select} on small pools: the last line of both modes, without the references. */
class SelectBenchmarkTest {
  private static List<String> run(String... args) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      SelectBenchmark.main(args);
    } finally {
      System.setOut(out);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void theLastLineKeepsItsKeysAndAddsTheSlowestTimeAndTheLargestHeap() throws Exception {
    List<String> lines =
        run("--n", "3000", "--dims", "16", "--budget", "50", "--labelled", "40", "--no-reference");

    assertThat(lines.get(lines.size() - 1))
        .matches(
            "coreset_s=[0-9.]+ coreset_ref_s=NA badge_s=[0-9.]+ badge_ref_s=NA ratio_min=NA"
                + " max_s=[0-9.]+ max_heap_mb=[0-9]+");
    assertThat(lines).anyMatch(l -> l.startsWith("| 16 | probcover |"));
  }

  @Test
  void qualityComparesProbCoversSearchWithTheExactOne() throws Exception {
    List<String> lines =
        run("--n", "2000", "--dims", "8", "--budget", "30", "--labelled", "0", "--quality");

    String last = lines.get(lines.size() - 1);
    assertThat(last)
        .matches("graph_covered_8=[0-9.]+ exact_graph_covered_8=[0-9.]+ covered_ratio_min=[0-9.]+");
    double ratio = Double.parseDouble(last.substring(last.lastIndexOf('=') + 1));
    assertThat(ratio).isBetween(0.8, 1.2);
  }
}
