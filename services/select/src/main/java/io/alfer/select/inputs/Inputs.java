package io.alfer.select.inputs;

import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * What the select service knows of the other services, rebuilt from their topics at every start:
 * datasets and their pool and test images (alfer.datasets, alfer.images), models (alfer.models),
 * pool embeddings per model (alfer.embeddings), labels per campaign (alfer.labels), the outcome of
 * training jobs (alfer.training.progress) and selections the label service refused
 * (alfer.selections.dlq). Written by one follower thread, read by the loop and the API.
 */
public final class Inputs {
  private final Map<String, DatasetDefined> datasets = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> pool = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> labelledTest = new ConcurrentHashMap<>();
  private final Map<String, ModelPublished> models = new ConcurrentHashMap<>();
  private final Map<String, PoolEmbeddings> embeddings = new ConcurrentHashMap<>();
  private final Map<String, Map<String, LabelAssigned>> labels = new ConcurrentHashMap<>();
  private final Map<String, TrainingProgress> jobEnds = new ConcurrentHashMap<>();
  private final Map<String, String> refusedSelections = new ConcurrentHashMap<>();

  // --- writes (the follower) ---------------------------------------------------------------

  public void dataset(DatasetDefined d) {
    datasets.put(d.getDataset(), d);
  }

  public void image(ImageIngested image) {
    if (image.getSplit() == Split.SPLIT_POOL) {
      pool.computeIfAbsent(image.getDataset(), k -> new ConcurrentSkipListSet<>())
          .add(image.getImageId());
    } else if (image.getSplit() == Split.SPLIT_TEST && image.getLabel() >= 0) {
      labelledTest
          .computeIfAbsent(image.getDataset(), k -> ConcurrentHashMap.newKeySet())
          .add(image.getImageId());
    }
  }

  public void model(ModelPublished model) {
    models.putIfAbsent(model.getModelId(), model);
  }

  /** Pool-split announcements only; a repeated full pass is ignored. */
  public void embeddings(EmbeddingsReady e) {
    if (e.getSplit() != Split.SPLIT_POOL) {
      return;
    }
    embeddings.compute(
        e.getModelId(),
        (id, known) -> {
          PoolEmbeddings current = known == null ? new PoolEmbeddings(null, List.of()) : known;
          if (!e.getIncrement()) {
            return current.full() == null ? new PoolEmbeddings(e, current.increments()) : current;
          }
          boolean seen =
              current.increments().stream()
                  .anyMatch(i -> i.getIds().getKey().equals(e.getIds().getKey()));
          if (seen) {
            return current;
          }
          List<EmbeddingsReady> more = new ArrayList<>(current.increments());
          more.add(e);
          return new PoolEmbeddings(current.full(), more);
        });
  }

  /** The latest label of an image in a campaign wins (as compaction keeps it). */
  public void label(LabelAssigned label) {
    labels
        .computeIfAbsent(label.getCampaignId(), k -> new ConcurrentHashMap<>())
        .put(label.getImageId(), label);
  }

  /** Remembers how a job ended; progress of running jobs is not kept. */
  public void progress(TrainingProgress p) {
    JobState s = p.getState();
    if (s == JobState.JOB_STATE_SUCCEEDED
        || s == JobState.JOB_STATE_FAILED
        || s == JobState.JOB_STATE_CANCELLED
        || s == JobState.JOB_STATE_REJECTED) {
      jobEnds.put(p.getJobId(), p);
    }
  }

  /** The label service refused the selection of a campaign round. */
  public void selectionRefused(String campaignId, int round, String why) {
    refusedSelections.putIfAbsent(campaignId + "/" + round, why);
  }

  // --- reads -------------------------------------------------------------------------------

  public Optional<DatasetDefined> dataset(String name) {
    return Optional.ofNullable(datasets.get(name));
  }

  /** The dataset's pool image ids, ascending ({@link String#compareTo}); a snapshot. */
  public List<String> poolIds(String dataset) {
    Set<String> ids = pool.get(dataset);
    return ids == null ? List.of() : List.copyOf(ids);
  }

  /** Whether an image is in the dataset's pool. */
  public boolean inPool(String dataset, String imageId) {
    Set<String> ids = pool.get(dataset);
    return ids != null && ids.contains(imageId);
  }

  public int poolSize(String dataset) {
    Set<String> ids = pool.get(dataset);
    return ids == null ? 0 : ids.size();
  }

  /** Test images with a ground-truth label (the trainer evaluates on them). */
  public int labelledTestSize(String dataset) {
    Set<String> ids = labelledTest.get(dataset);
    return ids == null ? 0 : ids.size();
  }

  public Optional<ModelPublished> model(String modelId) {
    return Optional.ofNullable(models.get(modelId));
  }

  /** The classifier announced for a campaign round, preferring the one of the expected job. */
  public Optional<ModelPublished> classifier(String campaignId, int round, String jobId) {
    ModelPublished byJob = models.get(jobId);
    if (byJob != null
        && byJob.getKind() == ModelKind.MODEL_KIND_CLASSIFIER
        && byJob.getCampaignId().equals(campaignId)
        && byJob.getRound() == round) {
      return Optional.of(byJob);
    }
    return models.values().stream()
        .filter(m -> m.getKind() == ModelKind.MODEL_KIND_CLASSIFIER)
        .filter(m -> m.getCampaignId().equals(campaignId) && m.getRound() == round)
        .filter(m -> m.getJobId().equals(jobId))
        .findFirst();
  }

  /** The pool embeddings announced for a model (empty until the full pass is in). */
  public PoolEmbeddings poolEmbeddings(String modelId) {
    PoolEmbeddings e = embeddings.get(modelId);
    return e == null ? new PoolEmbeddings(null, List.of()) : e;
  }

  /** The label of an image in a campaign, if announced. */
  public Optional<LabelAssigned> label(String campaignId, String imageId) {
    Map<String, LabelAssigned> byImage = labels.get(campaignId);
    return byImage == null ? Optional.empty() : Optional.ofNullable(byImage.get(imageId));
  }

  /** How a job ended, if it has. */
  public Optional<TrainingProgress> jobEnd(String jobId) {
    return Optional.ofNullable(jobEnds.get(jobId));
  }

  /** Why the label service refused a round's selection, if it did. */
  public Optional<String> selectionRefusal(String campaignId, int round) {
    return Optional.ofNullable(refusedSelections.get(campaignId + "/" + round));
  }
}
