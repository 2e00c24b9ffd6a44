package io.alfer.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.service.ImportWatcher;
import io.alfer.cli.service.IngestClient;
import io.alfer.cli.service.SelectClient;
import io.alfer.cli.service.TrainerClient;
import io.alfer.core.api.CampaignRequest;
import io.alfer.core.api.TrainingJobRequest;
import io.alfer.datasets.synthetic.SyntheticFer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's steps on running services: import the synthetic set, pre-train an encoder, run two
 * campaigns side by side — random sampling from scratch, and a cold-start strategy plus a strong
 * strategy on the pre-trained encoder — and report their per-round accuracy.
 */
public final class DemoRun {
  private final DemoSettings settings;
  private final DemoServices services;
  private final PrintWriter out;

  public DemoRun(DemoSettings settings, DemoServices services, PrintWriter out) {
    this.settings = settings;
    this.services = services;
    this.out = out;
  }

  /**
   * Generates the synthetic set into {@code dir}, defines the dataset at the demo's image size and
   * imports it; prints the dataset summary and returns it.
   */
  public JsonNode importSynthetic(Path dir) {
    IngestClient ingest = new IngestClient(services.get("ingest").baseUri());
    Path csv = dir.resolve("synthetic-fer-" + settings.images() + "-" + settings.seed() + ".csv");
    step(
        "generating %d synthetic FER images (seed %d) and importing them at %dx%d",
        settings.images(), settings.seed(), settings.imageSize(), settings.imageSize());
    ingest.define(settings.dataset(), settings.imageSize());
    try {
      Files.createDirectories(dir);
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 20)) {
        new SyntheticFer(settings.seed()).writeFer2013Csv(os, settings.images());
      }
      JsonNode started = ingest.startImport(settings.dataset(), csv, "fer2013-csv");
      ImportWatcher.follow(ingest, started.path("id").asText(), out);
      Files.deleteIfExists(csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode summary = ingest.dataset(settings.dataset());
    DatasetSummaryTable.print(summary, out);
    return summary;
  }

  /**
   * The test accuracy of always answering the test split's largest class: what a network that
   * learnt nothing scores.
   */
  public static double majorityAccuracy(JsonNode summary) {
    long largest = 0;
    long total = 0;
    for (JsonNode c : summary.path("classes")) {
      long test = c.path("test").asLong();
      largest = Math.max(largest, test);
      total += test;
    }
    return total == 0 ? Double.NaN : (double) largest / total;
  }

  /** Pre-trains the encoder with SimCLR on the pool (or finds it done); returns its model id. */
  public String pretrain() {
    TrainerClient trainer = new TrainerClient(services.get("trainer").baseUri());
    String jobId = settings.pretrainJobId();
    step(
        "pre-training a %s encoder with SimCLR on the unlabelled pool (%d epochs, batch %d)",
        settings.encoderPreset(), settings.pretrainEpochs(), settings.pretrainBatch());
    trainer.submit(
        TrainingJobRequest.pretrain(
            jobId,
            new TrainingJobRequest.Pretrain(
                settings.dataset(),
                settings.encoderPreset(),
                settings.pretrainEpochs(),
                settings.pretrainBatch(),
                null,
                null,
                null,
                settings.seed())));
    JsonNode done = PretrainWatcher.follow(trainer, jobId, out);
    return done.path("modelId").asText(jobId);
  }

  /**
   * Creates the two campaigns; returns display name per campaign id (random from scratch first).
   *
   * @param runId distinguishes this run's campaigns from earlier ones on a kept stack
   */
  public Map<String, String> startCampaigns(String runId, String encoderModelId) {
    SelectClient select = new SelectClient(services.get("select").baseUri());
    Map<String, String> names = new LinkedHashMap<>();
    String scratch = "demo-" + runId + "-random-scratch";
    select.create(campaign(scratch, "random", "random", ""));
    names.put(scratch, "random, from scratch");
    String pre = "demo-" + runId + "-" + settings.strategy() + "-pretrained";
    select.create(campaign(pre, settings.strategy(), settings.initialStrategy(), encoderModelId));
    names.put(
        pre,
        settings.initialStrategy().equals(settings.strategy())
            ? settings.strategy() + ", pre-trained"
            : settings.initialStrategy() + " + " + settings.strategy() + ", pre-trained");
    step(
        "campaigns: %d initial labels, then %d rounds of %d; oracle vendor answers the tasks",
        settings.initialSize(), settings.rounds(), settings.budgetPerRound());
    return names;
  }

  /** The body of {@code POST /campaigns} for this demo's sizes. */
  public CampaignRequest campaign(
      String id, String strategy, String initialStrategy, String baseModelId) {
    return new CampaignRequest(
        id,
        settings.dataset(),
        strategy,
        null,
        initialStrategy,
        settings.initialSize(),
        null,
        settings.budgetPerRound(),
        null,
        settings.rounds(),
        null,
        baseModelId,
        settings.finetunePreset(),
        settings.encoderPreset(),
        settings.finetuneMaxEpochs(),
        settings.seed(),
        List.of("oracle"),
        1,
        null);
  }

  /** Follows the campaigns until they have ended; returns their final views. */
  public Map<String, JsonNode> follow(Map<String, String> names, Duration timeout) {
    SelectClient select = new SelectClient(services.get("select").baseUri());
    return CampaignWatcher.follow(select, names, timeout, out);
  }

  private void step(String format, Object... args) {
    out.println();
    out.printf("== " + format + "%n", args);
    out.flush();
  }
}
