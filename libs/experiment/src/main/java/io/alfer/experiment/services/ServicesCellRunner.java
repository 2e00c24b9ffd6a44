package io.alfer.experiment.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.core.api.CampaignRequest;
import io.alfer.core.api.TrainingJobRequest;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.engine.CellExecutor;
import io.alfer.experiment.engine.Machine;
import io.alfer.experiment.pretrain.PretrainCache;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.experiment.results.ResultRow;
import io.alfer.experiment.results.ResultsLog;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs cells as campaigns of the running services: the pre-training as a trainer job ({@code POST
 * /jobs}, id fixed by the protocol, pool and seed, so it runs once), each cell as a campaign of the
 * select service ({@code POST /campaigns}, id fixed by the experiment and the cell) labelled by the
 * oracle vendor, followed with {@code GET /campaigns/{id}} until it completes; every round the
 * campaign reports is logged as it appears. A rerun finds its campaigns again and logs only the
 * rounds it has not.
 */
public final class ServicesCellRunner implements CellExecutor {
  private final Protocol protocol;
  private final ExperimentData data;
  private final Map<String, Object> identity;
  private final HttpJson select;
  private final HttpJson trainer;
  private final List<String> vendors;
  private final Duration poll;
  private final Duration roundTimeout;
  private final Map<Long, String> encoders = new HashMap<>();

  /**
   * @param identity the experiment's identity (names the campaigns)
   * @param selectUrl base URL of the select service
   * @param trainerUrl base URL of the trainer service
   * @param vendors vendors that label (the oracle for experiments)
   * @param poll how often to ask for progress
   * @param roundTimeout the longest a round may take before the run fails
   */
  public ServicesCellRunner(
      Protocol protocol,
      ExperimentData data,
      Map<String, Object> identity,
      URI selectUrl,
      URI trainerUrl,
      List<String> vendors,
      Duration poll,
      Duration roundTimeout) {
    requireServiceable(protocol, data);
    this.protocol = protocol;
    this.data = data;
    this.identity = identity;
    this.select = new HttpJson(selectUrl, "select");
    this.trainer = new HttpJson(trainerUrl, "trainer");
    this.vendors = List.copyOf(vendors);
    this.poll = poll;
    this.roundTimeout = roundTimeout;
  }

  /**
   * Refuses protocols the services cannot run as given: they train at the dataset's size and take
   * only a fine-tuning preset and an epoch limit.
   */
  public static void requireServiceable(Protocol protocol, ExperimentData data) {
    if (protocol.imageSize() != 0 && protocol.imageSize() != data.catalog().height()) {
      throw new IllegalArgumentException(
          "--through-services trains at the dataset's size ("
              + data.catalog().height()
              + "px); drop --image-size "
              + protocol.imageSize());
    }
    if (protocol.finetuning().batchSize() != 0 || protocol.finetuning().learningRate() != 0) {
      throw new IllegalArgumentException(
          "--through-services takes a fine-tuning preset and an epoch limit only; drop the"
              + " fine-tuning batch size and learning rate overrides");
    }
  }

  @Override
  public String execution() {
    return "services";
  }

  @Override
  public void run(Cell cell, ResultsLog log, ExperimentListener listener, int index, int total) {
    listener.cellStarted(cell, index, total, log.roundsOf(cell).size());
    String baseModel = cell.mode() == Mode.PRETRAINED ? encoder(cell.seed(), listener) : null;
    String id = CampaignRequests.campaignId(identity, cell);
    if (select.get("/campaigns/" + id).isEmpty()) {
      CampaignRequest body =
          CampaignRequests.body(
              id,
              protocol,
              cell,
              protocol.parametersOf(cell.strategy()),
              baseModel,
              data.poolSize(),
              vendors);
      HttpJson.Response created = select.post("/campaigns", body);
      if (created.status() / 100 != 2) {
        throw created.failure();
      }
      listener.message("campaign " + id + " started");
    } else {
      listener.message("campaign " + id + " exists; following it");
    }
    String initialSet =
        protocol.choosesOwnInitialSet(cell.strategy(), cell.mode())
            ? ResultRow.STRATEGY_INITIAL
            : ResultRow.RANDOM_INITIAL;
    long lastChange = System.nanoTime();
    Instant previous = Instant.now();
    while (true) {
      JsonNode campaign =
          select
              .get("/campaigns/" + id)
              .orElseThrow(() -> new IllegalStateException("campaign " + id + " disappeared"));
      for (JsonNode round : campaign.path("rounds")) {
        int r = HttpJson.integer(round, "round");
        JsonNode accuracy = round.path("testAccuracy");
        if (log.contains(cell, r) || accuracy.isMissingNode() || accuracy.isNull()) {
          continue;
        }
        Instant now = Instant.now();
        ResultRow row = row(cell, round, initialSet, Duration.between(previous, now), now);
        previous = now;
        lastChange = System.nanoTime();
        log.append(row);
        listener.roundDone(cell, row);
      }
      String state = campaign.has("state") ? HttpJson.text(campaign, "state") : "";
      if (log.roundsOf(cell).size() == protocol.rounds() + 1) {
        listener.cellDone(cell);
        return;
      }
      if (state.equals("failed") || state.equals("cancelled")) {
        throw new IllegalStateException(
            "campaign " + id + " is " + state + ": " + campaign.get("phase"));
      }
      if (state.equals("completed")) {
        throw new IllegalStateException(
            "campaign "
                + id
                + " completed with "
                + log.roundsOf(cell).size()
                + " rounds measured, the protocol has "
                + (protocol.rounds() + 1));
      }
      if (System.nanoTime() - lastChange > roundTimeout.toNanos()) {
        throw new IllegalStateException(
            "campaign "
                + id
                + " made no progress for "
                + roundTimeout.toMinutes()
                + " minutes (phase "
                + campaign.get("phase")
                + ")");
      }
      pause();
    }
  }

  private ResultRow row(
      Cell cell, JsonNode round, String initialSet, Duration took, Instant finishedAt) {
    JsonNode perClass = round.path("perClassAccuracy");
    int classes = data.catalog().classes().size();
    double[] accuracies = new double[classes];
    for (int k = 0; k < classes; k++) {
      accuracies[k] = k < perClass.size() ? HttpJson.number(perClass.get(k)) : Double.NaN;
    }
    Map<String, Double> metrics = metrics(round);
    return new ResultRow(
        cell.strategy(),
        cell.mode(),
        cell.seed(),
        HttpJson.integer(round, "round"),
        HttpJson.integer(round, "labelledTotal"),
        HttpJson.number(round.get("testAccuracy")),
        accuracies,
        took.toMillis() / 1000.0,
        metrics.getOrDefault("seconds", Double.NaN),
        Double.NaN,
        Double.NaN,
        Machine.loadAverage(),
        metrics.getOrDefault("epochs", -1.0).intValue(),
        metrics.getOrDefault("train_accuracy", Double.NaN),
        initialSet,
        finishedAt);
  }

  /** Numbers the round's provenance carries, e.g. {@code seconds} of the selection. */
  private static Map<String, Double> metrics(JsonNode round) {
    Map<String, Double> out = new LinkedHashMap<>();
    JsonNode p = round.path("provenance");
    if (p.isObject()) {
      JsonNode m = p.path("metrics").isObject() ? p.get("metrics") : p;
      for (Map.Entry<String, JsonNode> field : m.properties()) {
        if (field.getValue().isNumber()) {
          out.put(field.getKey(), field.getValue().doubleValue());
        }
      }
    }
    return out;
  }

  /** The trainer's SimCLR model for a seed: one job per protocol, pool and seed. */
  private String encoder(long seed, ExperimentListener listener) {
    String known = encoders.get(seed);
    if (known != null) {
      return known;
    }
    String jobId = PretrainCache.modelId(protocol, data, seed);
    Optional<JsonNode> job = trainer.get("/jobs/" + jobId);
    if (job.isEmpty()) {
      TrainingJobRequest body =
          TrainingJobRequest.pretrain(
              jobId,
              new TrainingJobRequest.Pretrain(
                  protocol.dataset(),
                  protocol.encoderPreset(),
                  protocol.pretraining().epochs(),
                  Math.min(protocol.pretraining().batchSize(), data.poolSize()),
                  protocol.pretraining().temperature(),
                  protocol.pretraining().learningRate(),
                  protocol.pretraining().warmupEpochs(),
                  seed));
      HttpJson.Response started = trainer.post("/jobs", body);
      if (started.status() / 100 != 2) {
        throw started.failure();
      }
      listener.message("pre-training for seed " + seed + ": trainer job " + jobId + " started");
    }
    long deadline = System.nanoTime() + roundTimeout.toNanos();
    String shown = "";
    while (true) {
      JsonNode view =
          trainer
              .get("/jobs/" + jobId)
              .orElseThrow(() -> new IllegalStateException("trainer job " + jobId + " vanished"));
      String state = HttpJson.text(view, "state");
      if (state.equals("succeeded")) {
        String model = HttpJson.text(view, "modelId");
        encoders.put(seed, model);
        return model;
      }
      if (state.equals("failed") || state.equals("cancelled")) {
        throw new IllegalStateException(
            "pre-training job " + jobId + " " + state + ": " + view.get("message"));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pre-training job " + jobId + " is still " + state);
      }
      String line =
          String.format(
              "pre-training for seed %d: trainer job %s %s, epoch %s/%s",
              seed, jobId, state, view.get("epoch"), view.get("epochs"));
      if (!line.equals(shown)) {
        listener.message(line);
        shown = line;
      }
      pause();
    }
  }

  private void pause() {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while following a campaign", e);
    }
  }
}
