package io.alfer.experiment.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.al.campaign.CampaignRules;
import io.alfer.core.storage.ObjectStore;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.ExperimentPlan;
import io.alfer.experiment.config.FinetuneSettings;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.PretrainSettings;
import io.alfer.experiment.config.Profile;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.CatalogReader;
import io.alfer.experiment.data.DatasetCatalog;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.data.SyntheticImport;
import io.alfer.experiment.pretrain.PretrainCache;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.experiment.results.ResultRow;
import io.alfer.experiment.results.ResultsLog;
import io.alfer.experiment.results.StateStore;
import io.alfer.ml.data.ShardCache;
import io.alfer.ml.data.ShardStore;
import io.alfer.ml.store.BlobStore;
import io.alfer.testkit.EmbeddedKafka;
import io.alfer.testkit.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process engine against a real Kafka broker and S3 server: the synthetic import, the
 * catalog and shards, and a run killed in the middle of a cell that goes on where it stopped.
 */
class ExperimentEngineTest {
  private final String bootstrap = EmbeddedKafka.shared().bootstrapServers();
  private final ObjectStore objects = S3ProxyServer.shared().objectStore();

  @TempDir Path results;
  @TempDir Path cache;

  @BeforeAll
  static void passiveOpenMp() {
    Machine.preferPassiveOpenMpWaiting(); // the build machine's cores are shared
  }

  @Test
  void aRunKilledMidCellGoesOnFromItsLastRoundAndLogsEveryRoundOnce() throws Exception {
    String dataset = "engine-" + UUID.randomUUID().toString().substring(0, 8);
    int imported = new SyntheticImport(bootstrap, objects).importInto(dataset, 160, 3, l -> {});
    DatasetCatalog catalog =
        new CatalogReader(bootstrap, Duration.ofSeconds(60)).read(dataset).orElseThrow();
    assertThat(catalog.poolSize() + catalog.testIds().size()).isEqualTo(imported);
    assertThat(catalog.poolIds()).isSorted();
    assertThat(catalog.classes()).hasSize(7).startsWith("angry");

    ShardStore shards = new ShardStore(BlobStore.of(objects), new ShardCache(cache));
    ExperimentData data = ExperimentData.load(catalog, objects, shards, 16);
    assertThat(data.imageSide()).isEqualTo(16);
    assertThat(data.poolSnapshot()).startsWith(dataset + "/pool-");
    assertThat(objects.exists("shards/" + data.poolSnapshot() + "/manifest.json")).isTrue();

    Protocol protocol =
        Profile.SMOKE.protocol().toBuilder()
            .dataset(dataset)
            .imageSize(16)
            .rounds(3)
            .pretraining(new PretrainSettings(1, 32, 0.3, 0.5, 0))
            .finetuning(new FinetuneSettings(FinetuneSettings.CPU_FAST, 2, 16, 0))
            .build();
    ExperimentPlan plan =
        new ExperimentPlan(
            protocol,
            List.of("random", "entropy"),
            List.of(Mode.SCRATCH, Mode.PRETRAINED),
            List.of(5L));
    Cell interrupted = new Cell("entropy", Mode.SCRATCH, 5);

    ExperimentListener crash =
        new ExperimentListener() {
          @Override
          public void roundDone(Cell cell, ResultRow row) {
            if (cell.equals(interrupted) && row.round() == 1) {
              throw new IllegalStateException("simulated crash");
            }
          }
        };
    assertThatThrownBy(() -> run(plan, data, crash)).hasMessageContaining("simulated crash");

    Path csv = results.resolve(ResultsLog.FILE_NAME);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(1 + 4 + 4 + 2); // header, random twice complete, entropy rounds 0-1
    // The kill came after the state was saved: drop the round's line as if the append was lost.
    String lost = lines.get(lines.size() - 1);
    Files.write(csv, lines.subList(0, lines.size() - 1));

    List<String> messages = new CopyOnWriteArrayList<>();
    List<String> starts = new CopyOnWriteArrayList<>();
    ExperimentListener record =
        new ExperimentListener() {
          @Override
          public void message(String line) {
            messages.add(line);
          }

          @Override
          public void cellStarted(Cell cell, int index, int total, int fromRound) {
            starts.add(cell.fileKey() + " from " + fromRound);
          }
        };
    ExperimentRunner.Outcome outcome = run(plan, data, record);

    assertThat(outcome).isEqualTo(new ExperimentRunner.Outcome(2, 2, 0));
    assertThat(starts).containsExactly("entropy-scratch-s5 from 2", "entropy-pretrained-s5 from 0");
    assertThat(messages).anyMatch(m -> m.contains("reusing encoder"));
    List<String> after = Files.readAllLines(csv);
    assertThat(after).hasSize(1 + 4 * 4);
    assertThat(after.subList(0, lines.size() - 1)).isEqualTo(lines.subList(0, lines.size() - 1));
    assertThat(after.get(lines.size() - 1)).isEqualTo(lost); // re-logged from the saved state
    Set<String> keys = new HashSet<>();
    for (String line : after.subList(1, after.size())) {
      String[] f = line.split(",");
      assertThat(keys.add(f[0] + f[1] + f[2] + "@" + f[3])).as(line).isTrue();
    }

    // Round 0 is the shared random set for every cell of the seed: the rule select follows.
    List<String> expected =
        CampaignRules.initialRandom(
                catalog.poolIds(), protocol.initialCount(catalog.poolSize()), 5L)
            .ids();
    StateStore states = new StateStore(results);
    for (Cell cell : plan.cells()) {
      List<String> initial = new ArrayList<>();
      states.selections(cell).orElseThrow().get("initial").forEach(e -> initial.add(e.textValue()));
      assertThat(initial).as(cell.label()).isEqualTo(expected);
    }
    try (var files = Files.list(results.resolve(StateStore.DIRECTORY))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".model"));
    }
    // labelled counts follow the protocol in every round
    try (ResultsLog log = ResultsLog.open(results, catalog.classes(), l -> {})) {
      for (ResultRow row : log.rows()) {
        assertThat(row.labelled())
            .isEqualTo(ExperimentRunner.labelledAfter(protocol, data.poolSize(), row.round()));
      }
    }
  }

  private ExperimentRunner.Outcome run(
      ExperimentPlan plan, ExperimentData data, ExperimentListener listener) {
    try (InProcessCellRunner executor =
        new InProcessCellRunner(
            plan.protocol(),
            data,
            new PretrainCache(objects),
            new StateStore(results),
            ClassifierProbes.ofMl())) {
      return new ExperimentRunner(plan, data, results, executor, listener).run(0, Map.of());
    }
  }
}
