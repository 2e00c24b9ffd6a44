package io.alfer.experiment.pretrain;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.ml.checkpoint.Checkpoint;
import io.alfer.ml.checkpoint.ModelMetadata;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.checkpoint.Provenance;
import io.alfer.ml.eval.QualityProbe;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.simclr.SimClrConfig;
import io.alfer.ml.simclr.SimClrResult;
import io.alfer.ml.simclr.SimClrTrainer;
import io.alfer.ml.train.EpochSummary;
import io.alfer.ml.train.TrainingHooks;
import io.alfer.ml.train.TrainingProgress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * SimCLR encoders, trained once per dataset pool, image size, preset, pre-training settings and
 * seed, and kept in object storage as ordinary models ({@code models/<id>/checkpoint.zip}) under an
 * id derived from all of these; any later run (in any results directory) that needs the same
 * encoder loads it instead of training again. A pre-training in progress saves a resume state after
 * every epoch ({@code reports/experiments/pretraining/<id>/resume.bin}), so an interrupted run goes
 * on from its last epoch.
 */
public final class PretrainCache {
  private static final String KEY_VERSION = "1";

  private final ObjectStore objects;
  private final ModelStore models;

  public PretrainCache(ObjectStore objects) {
    this.objects = objects;
    this.models = ModelStore.on(objects);
  }

  /** The model id of the encoder for a protocol, the data's pool and a seed. */
  public static String modelId(Protocol protocol, ExperimentData data, long seed) {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("version", KEY_VERSION);
    key.put("pool", data.poolSnapshot());
    key.put("side", data.imageSide());
    key.put("preset", protocol.encoderPreset());
    key.put("pretraining", protocol.pretraining().describe());
    key.put("seed", seed);
    String digest =
        Hashes.sha256Hex(key.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    return "simclr-"
        + protocol.dataset()
        + "-"
        + protocol.encoderPreset()
        + "-s"
        + seed
        + "-"
        + digest;
  }

  /** The SimCLR configuration used for a protocol, pool and seed. */
  public static SimClrConfig config(Protocol protocol, ExperimentData data, long seed) {
    return protocol.pretraining().config(protocol.encoder(), data.poolSize(), seed);
  }

  /**
   * The encoder for {@code seed}: loaded when stored, otherwise pre-trained (resuming a saved epoch
   * when there is one) and stored. The caller closes it.
   */
  public EncoderModel encoder(
      Protocol protocol, ExperimentData data, long seed, ExperimentListener listener) {
    String id = modelId(protocol, data, seed);
    if (models.exists(id)) {
      listener.message("pre-training for seed " + seed + ": reusing encoder " + id);
      EncoderModel encoder = models.load(id).toEncoder();
      if (encoder.height() != data.imageSide() || encoder.width() != data.imageSide()) {
        encoder.close();
        throw new IllegalStateException(
            "stored encoder " + id + " does not take " + data.imageSide() + "px images");
      }
      return encoder;
    }
    SimClrConfig config = config(protocol, data, seed);
    String resumeKey = resumeKey(id);
    Optional<byte[]> resume = objects.find(resumeKey);
    listener.message(
        String.format(
            "pre-training for seed %d: SimCLR %s on %d pool images at %dpx, %d epochs, batch %d%s"
                + " -> %s",
            seed,
            protocol.encoderPreset(),
            data.poolSize(),
            data.imageSide(),
            config.epochs(),
            config.batchSize(),
            resume.isPresent() ? " (resuming a saved epoch)" : "",
            id));
    EpochSummary[] last = new EpochSummary[1];
    TrainingHooks hooks =
        new TrainingHooks() {
          @Override
          public void onProgress(TrainingProgress progress) {
            listener.pretraining(seed, progress);
          }

          @Override
          public void onEpochEnd(EpochSummary summary) {
            last[0] = summary;
            listener.pretrainingEpoch(seed, summary);
          }

          @Override
          public void onEpochCheckpoint(int completedEpochs, byte[] resumeState) {
            objects.put(resumeKey, resumeState, "application/octet-stream");
          }
        };
    // The test split's labels measure the representation after every epoch (k-NN, linear probe).
    SimClrTrainer trainer = new SimClrTrainer(config, QualityProbe.of(data.test()));
    long start = System.nanoTime();
    // A divergence is not retried: since its cause (constants freed under autograd) was fixed a
    // step is deterministic, so a retry from the same state would only diverge again.
    try (SimClrResult result =
        resume.isPresent()
            ? trainer.resume(data.pool(), resume.get(), hooks)
            : trainer.train(data.pool(), hooks)) {
      return store(id, protocol, config, seed, data, result, start, last[0], listener);
    }
  }

  private EncoderModel store(
      String id,
      Protocol protocol,
      SimClrConfig config,
      long seed,
      ExperimentData data,
      SimClrResult result,
      long start,
      EpochSummary last,
      ExperimentListener listener) {
    EncoderModel encoder = result.encoder();
    double[] losses = result.epochLosses();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("pool_images", (double) data.poolSize());
    if (losses.length > 0) {
      metrics.put("final_loss", losses[losses.length - 1]);
    }
    metrics.put("seconds", (System.nanoTime() - start) / 1e9);
    String quality = "";
    if (last != null && last.quality().isPresent()) {
      metrics.put("knn_accuracy", last.quality().get().knnAccuracy());
      metrics.put("linear_probe_accuracy", last.quality().get().linearProbeAccuracy());
      quality =
          String.format(
              ", k-NN %.1f %%, linear probe %.1f %% on the test split",
              100 * last.quality().get().knnAccuracy(),
              100 * last.quality().get().linearProbeAccuracy());
    }
    models.save(
        id,
        Checkpoint.of(
            encoder,
            new Provenance(
                protocol.dataset(), seed, ModelMetadata.describe(config), metrics, null)));
    objects.delete(resumeKey(id));
    listener.message(
        String.format(
            "pre-training for seed %d done in %.0f s (final loss %s%s); stored as %s",
            seed,
            (System.nanoTime() - start) / 1e9,
            losses.length > 0 ? String.format("%.4f", losses[losses.length - 1]) : "n/a",
            quality,
            id));
    // A copy the caller owns: the result's encoder is closed with the result.
    return EncoderModel.fromParameters(
        encoder.spec(),
        encoder.height(),
        encoder.width(),
        encoder.normalization(),
        encoder.parameterBytes());
  }

  private static String resumeKey(String id) {
    return StorageLayout.reportsPrefix("experiments") + "pretraining/" + id + "/resume.bin";
  }
}
