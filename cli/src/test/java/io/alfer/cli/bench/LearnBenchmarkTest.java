package io.alfer.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.cli.stack.StackJars;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.results.ResultRow;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java half of {@code bench learn}: what it hands the PyTorch reference must be what the script
 * reads (the script itself needs PyTorch, which the test machine does not have), and the verdict
 * must be the largest shortfall.
 */
class LearnBenchmarkTest {
  private static final Path SCRIPT =
      StackJars.repositoryRoot().resolve("cli/src/main/python/learn_reference.py");

  @Test
  void theRecipeHoldsEveryFieldTheScriptReads() throws Exception {
    String script = Files.readString(SCRIPT);
    ObjectNode recipe = LearnBenchmark.recipe(FineTuneConfig.cpuFast(1));
    Set<String> read = keys(script, "recipe\\[\"([a-z_]+)\"\\]");
    assertThat(read).hasSizeGreaterThan(10);
    assertThat(recipe.properties().stream().map(e -> e.getKey()).toList()).containsAll(read);
    Set<String> augmentation = keys(script, "augmentation\\[\"([a-z_]+)\"\\]");
    assertThat(augmentation).hasSizeGreaterThan(5);
    List<String> exported = new ArrayList<>();
    recipe.get("augmentation").fieldNames().forEachRemaining(exported::add);
    assertThat(exported).containsAll(augmentation);
    assertThat(recipe.get("min_steps").asInt()).isEqualTo(FineTuneConfig.cpuFast(1).minSteps());
  }

  @Test
  void encoderTensorsCarryTheNamesTheScriptMapsAndAllTheirValues(@TempDir Path dir)
      throws Exception {
    try (EncoderModel encoder =
        EncoderModel.create(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3)) {
      Path file = dir.resolve("encoder.f32");
      JsonNode tensors = LearnBenchmark.writeEncoder(encoder, file);
      List<String> names = new ArrayList<>();
      long values = 0;
      for (JsonNode t : tensors) {
        names.add(t.get("name").asText());
        long size = 1;
        for (JsonNode d : t.get("shape")) {
          size *= d.asLong();
        }
        values += size;
      }
      assertThat(Files.size(file)).isEqualTo(4 * values);
      // the script's names: stem, stage<s>_block<b>_{conv1,conv2,shortcut}, then conv/bn fields
      assertThat(names)
          .contains(
              "stem_conv_weight",
              "stem_bn_gamma",
              "stem_bn_runningVar",
              "stage0_block0_conv1_conv_weight",
              "stage1_block0_shortcut_bn_runningMean",
              "stage2_block0_conv2_bn_beta")
          .allMatch(
              n -> n.matches("(stem|stage\\d_block\\d_(conv1|conv2|shortcut))_(conv|bn)_\\w+"));
      String script = Files.readString(SCRIPT);
      for (String field :
          List.of("_conv_weight", "_bn_gamma", "_bn_beta", "_bn_runningMean", "_bn_runningVar")) {
        assertThat(script).contains("\"" + field + "\"");
      }
    }
  }

  @Test
  void theVerdictIsTheLargestShortfallOfTheMeansOverSeeds() {
    List<ResultRow> alfer =
        List.of(
            row(Mode.SCRATCH, 1, 0, 0.80),
            row(Mode.SCRATCH, 2, 0, 0.70),
            row(Mode.SCRATCH, 1, 1, 0.90),
            row(Mode.SCRATCH, 2, 1, 0.90),
            row(Mode.PRETRAINED, 1, 0, 0.85));
    List<LearnBenchmark.Outcome> torch =
        List.of(
            outcome(Mode.SCRATCH, 1, 0, 0.78),
            outcome(Mode.SCRATCH, 2, 0, 0.76), // mean 77 against alfer's 75: 2 points short
            outcome(Mode.SCRATCH, 1, 1, 0.88),
            outcome(Mode.SCRATCH, 2, 1, 0.88),
            outcome(Mode.PRETRAINED, 1, 0, 0.80));
    LearnBenchmark.Comparison c = LearnBenchmark.Comparison.of(alfer, torch);
    assertThat(c.alfer(Mode.SCRATCH, 0)).isEqualTo(75.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.keyValues(10, 20))
        .startsWith("max_shortfall_points=2.0 at=scratch/r0 seeds=2")
        .contains("scratch_alfer=75.0,90.0", "scratch_torch=77.0,88.0", "pretrained_alfer=85.0");
  }

  private static Set<String> keys(String text, String regex) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static ResultRow row(Mode mode, long seed, int round, double accuracy) {
    return new ResultRow(
        "random",
        mode,
        seed,
        round,
        100 + 50 * round,
        accuracy,
        new double[7],
        1,
        0,
        1,
        1,
        0,
        1,
        1,
        ResultRow.RANDOM_INITIAL,
        Instant.EPOCH);
  }

  private static LearnBenchmark.Outcome outcome(Mode mode, long seed, int round, double accuracy) {
    return new LearnBenchmark.Outcome(mode, seed, round, 100 + 50 * round, accuracy, 800, 1);
  }
}
