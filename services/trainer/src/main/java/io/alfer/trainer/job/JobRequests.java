package io.alfer.trainer.job;

import io.alfer.core.storage.ObjectStore;
import io.alfer.kit.error.ServiceException;
import io.alfer.ml.checkpoint.ModelMetadata;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.PretrainJob;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.trainer.config.TrainerConfig;
import io.alfer.trainer.dataset.DatasetCatalog;
import io.alfer.trainer.dataset.DatasetCatalog.ImageEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a training request against the catalog and the limits and returns it normalised: every
 * field the sender left at zero or empty is filled with the configured default, so that the stored
 * request alone defines the run. Anything impossible is refused with a {@link ServiceException}
 * whose reason is stable ({@code unknown_dataset}, {@code empty_labelled_set}, ...).
 */
@ApplicationScoped
public class JobRequests {
  /** Allowed job ids: they become object keys and model ids. */
  public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final double MAX_TEMPERATURE = 100;
  private static final double MAX_LEARNING_RATE = 10;

  private final DatasetCatalog catalog;
  private final ObjectStore store;
  private final TrainerConfig config;

  public JobRequests(DatasetCatalog catalog, ObjectStore store, TrainerConfig config) {
    this.catalog = catalog;
    this.store = store;
    this.config = config;
  }

  /** The request, normalised; throws {@link ServiceException} (400) when it cannot be run. */
  public TrainingRequest normalise(TrainingRequest request) {
    String jobId = request.getJobId();
    if (jobId.isBlank()) {
      throw refused("missing_job_id", "the request has no job_id");
    }
    if (!JOB_ID.matcher(jobId).matches()) {
      throw refused(
          "invalid_job_id",
          "job id '" + jobId + "' must match " + JOB_ID.pattern() + " (it becomes a model id)");
    }
    return switch (request.getJobCase()) {
      case PRETRAIN ->
          request.toBuilder().setPretrain(pretrain(request.getPretrain())).clearOrigin().build();
      case FINETUNE ->
          request.toBuilder().setFinetune(finetune(request.getFinetune())).clearOrigin().build();
      case JOB_NOT_SET ->
          throw refused("missing_job", "job " + jobId + " is neither a pretrain nor a finetune");
    };
  }

  private PretrainJob pretrain(PretrainJob job) {
    DatasetDefined dataset = dataset(job.getDataset());
    int pool = catalog.ids(job.getDataset(), Split.SPLIT_POOL).size();
    if (pool < 2) {
      throw refused(
          "empty_pool",
          "dataset " + job.getDataset() + " has " + pool + " pool images; SimCLR needs at least 2");
    }
    String preset = encoderPreset(job.getPreset(), config.pretrain().preset());
    int epochs = job.getEpochs() == 0 ? config.pretrain().epochs() : job.getEpochs();
    requireRange("epochs", epochs, 1, config.limits().maxEpochs());
    int batch =
        job.getBatchSize() == 0
            ? Math.min(config.pretrain().batchSize(), pool)
            : job.getBatchSize();
    requireRange("batch_size", batch, 2, config.limits().maxBatchSize());
    if (batch > pool) {
      throw refused(
          "impossible_size",
          "batch_size "
              + batch
              + " exceeds the "
              + pool
              + " pool images of dataset "
              + dataset.getDataset());
    }
    double temperature =
        job.getTemperature() == 0 ? config.pretrain().temperature() : job.getTemperature();
    requirePositive("temperature", temperature, MAX_TEMPERATURE);
    double rate =
        job.getLearningRate() == 0 ? config.pretrain().learningRate() : job.getLearningRate();
    requirePositive("learning_rate", rate, MAX_LEARNING_RATE);
    if (job.getWarmupEpochs() < 0 || job.getWarmupEpochs() >= epochs) {
      throw refused(
          "invalid_hyperparameter",
          "warmup_epochs must lie in 0.." + (epochs - 1) + ", got " + job.getWarmupEpochs());
    }
    // 0 (unset) = a tenth of the epochs: SimCLR's rate of 0.3 from the first step can diverge
    int warmup = job.getWarmupEpochs() == 0 ? epochs / 10 : job.getWarmupEpochs();
    return job.toBuilder()
        .setPreset(preset)
        .setEpochs(epochs)
        .setBatchSize(batch)
        .setTemperature((float) temperature)
        .setLearningRate((float) rate)
        .setWarmupEpochs(warmup)
        .build();
  }

  private FinetuneJob finetune(FinetuneJob job) {
    if (job.getCampaignId().isBlank()) {
      throw refused("missing_campaign", "a finetune job needs its campaign_id");
    }
    if (job.getRound() < 0) {
      throw refused("invalid_round", "round must be >= 0, got " + job.getRound());
    }
    DatasetDefined dataset = dataset(job.getDataset());
    int classes = dataset.getTaxonomy().getClassesCount();
    if (job.getLabelledCount() == 0) {
      throw refused("empty_labelled_set", "the labelled set is empty: nothing to fine-tune on");
    }
    if (job.getLabelledCount() < 2) {
      throw refused("impossible_size", "fine-tuning needs at least 2 labelled images, got 1");
    }
    requireRange("labelled", job.getLabelledCount(), 2, config.limits().maxLabelled());
    Set<String> seen = new HashSet<>();
    for (LabelledImage image : job.getLabelledList()) {
      if (image.getLabel() < 0 || image.getLabel() >= classes) {
        throw refused(
            "label_outside_taxonomy",
            "image "
                + image.getImageId()
                + " has label "
                + image.getLabel()
                + "; dataset "
                + job.getDataset()
                + " has "
                + classes
                + " classes "
                + dataset.getTaxonomy().getClassesList());
      }
      if (!seen.add(image.getImageId())) {
        throw refused("duplicate_image", "image " + image.getImageId() + " is labelled twice");
      }
      Optional<ImageEntry> entry = catalog.image(job.getDataset(), image.getImageId());
      if (entry.isEmpty()) {
        throw refused(
            "unknown_image",
            "image " + image.getImageId() + " is not in dataset " + job.getDataset());
      }
      if (entry.get().split() != Split.SPLIT_POOL) {
        throw refused(
            "not_in_pool",
            "image " + image.getImageId() + " is in the test split; only pool images are labelled");
      }
    }
    long testLabelled =
        catalog.ids(job.getDataset(), Split.SPLIT_TEST).stream()
            .filter(id -> catalog.image(job.getDataset(), id).orElseThrow().label() >= 0)
            .count();
    if (testLabelled == 0) {
      throw refused(
          "no_test_split",
          "dataset " + job.getDataset() + " has no labelled test images to evaluate on");
    }
    String preset =
        job.getPreset().isBlank()
            ? config.finetune().preset()
            : job.getPreset().toLowerCase(Locale.ROOT);
    if (!FineTuneConfig.PRESETS.contains(preset)) {
      throw refused(
          "unknown_preset",
          "unknown fine-tuning preset '" + job.getPreset() + "'; known: " + FineTuneConfig.PRESETS);
    }
    requireRange("max_epochs", job.getMaxEpochs(), 0, config.limits().maxEpochs());
    if (job.getDeepfoolCandidates() < 0) {
      throw refused(
          "invalid_hyperparameter",
          "deepfool_candidates must be >= 0 (0 = every unlabelled image), got "
              + job.getDeepfoolCandidates());
    }
    if (job.getDeepfoolCandidates() > 0 && !job.getDeepfool()) {
      throw refused(
          "invalid_hyperparameter",
          "deepfool_candidates is "
              + job.getDeepfoolCandidates()
              + " but deepfool is not set: nothing would be attacked");
    }
    FinetuneJob.Builder out = job.toBuilder().setPreset(preset);
    if (job.getBaseModelId().isBlank()) {
      out.setEncoderPreset(
          encoderPreset(job.getEncoderPreset(), config.finetune().encoderPreset()));
    } else {
      ModelMetadata base = baseModel(job.getBaseModelId());
      if (base.inputWidth() != dataset.getWidth() || base.inputHeight() != dataset.getHeight()) {
        throw refused(
            "base_model_mismatch",
            "base model "
                + job.getBaseModelId()
                + " takes "
                + base.inputWidth()
                + "×"
                + base.inputHeight()
                + " images, dataset "
                + job.getDataset()
                + " has "
                + dataset.getWidth()
                + "×"
                + dataset.getHeight());
      }
      out.setEncoderPreset(base.architecture().name());
    }
    return out.build();
  }

  private DatasetDefined dataset(String name) {
    if (name.isBlank()) {
      throw refused("missing_dataset", "the job names no dataset");
    }
    return catalog
        .definition(name)
        .orElseThrow(
            () ->
                refused(
                    "unknown_dataset",
                    "dataset '" + name + "' is not defined (nothing on alfer.datasets)"));
  }

  private ModelMetadata baseModel(String modelId) {
    String key;
    try {
      key = ModelStore.key(modelId, ModelStore.METADATA);
    } catch (IllegalArgumentException e) {
      throw refused("unknown_base_model", e.getMessage());
    }
    byte[] json =
        store
            .find(key)
            .orElseThrow(
                () -> refused("unknown_base_model", "no model " + modelId + " in object storage"));
    try {
      return ModelMetadata.fromJson(new String(json, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw refused("unknown_base_model", "model " + modelId + ": " + e.getMessage());
    }
  }

  private static String encoderPreset(String requested, String fallback) {
    String name = requested.isBlank() ? fallback : requested;
    try {
      return EncoderSpec.preset(name).name();
    } catch (IllegalArgumentException e) {
      throw refused("unknown_preset", e.getMessage());
    }
  }

  private static void requireRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw refused(
          field.equals("epochs") || field.equals("max_epochs")
              ? "invalid_hyperparameter"
              : "impossible_size",
          field + " must lie in " + min + ".." + max + ", got " + value);
    }
  }

  private static void requirePositive(String field, double value, double max) {
    if (!(value > 0 && value <= max)) {
      throw refused(
          "invalid_hyperparameter", field + " must lie in (0, " + max + "], got " + value);
    }
  }

  private static ServiceException refused(String reason, String message) {
    return ServiceException.badRequest(reason, message);
  }
}
