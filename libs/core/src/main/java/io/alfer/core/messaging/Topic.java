package io.alfer.core.messaging;

import com.google.protobuf.Message;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.EmbedWorkItem;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one place that names every Kafka topic of alfer, the protobuf message it carries, how it is
 * keyed and whether it is compacted. Services, the local stack, the test kit and the Kubernetes
 * manifests' checks all read this list. The vendors' topics (tasks and results, one set per vendor)
 * are named by {@link VendorTopics}.
 */
public enum Topic {
  /** Every stored image; catalog topic. */
  IMAGES("alfer.images", ImageIngested.class, true, Encoding.PROTOBUF, "image id"),
  /** Dataset definitions (taxonomy, canonical size); catalog topic. */
  DATASETS("alfer.datasets", DatasetDefined.class, true, Encoding.PROTOBUF, "dataset name"),
  /** Pre-training and fine-tuning jobs for the trainer. */
  TRAINING_REQUESTS(
      "alfer.training.requests", TrainingRequest.class, false, Encoding.PROTOBUF, "job id"),
  /** Progress of training jobs. */
  TRAINING_PROGRESS(
      "alfer.training.progress", TrainingProgress.class, false, Encoding.PROTOBUF, "job id"),
  /** Finished models; catalog topic. */
  MODELS("alfer.models", ModelPublished.class, true, Encoding.PROTOBUF, "model id"),
  /** Shares of embed passes, planned by the embed replicas and done by any of them. */
  EMBED_WORK("alfer.embed.work", EmbedWorkItem.class, false, Encoding.PROTOBUF, "item id"),
  /** Embeddings and class probabilities of a model over a dataset split. */
  EMBEDDINGS("alfer.embeddings", EmbeddingsReady.class, false, Encoding.PROTOBUF, "model id"),
  /** Batches chosen for labelling. */
  SELECTIONS("alfer.selections", SelectionMade.class, false, Encoding.PROTOBUF, "campaign id"),
  /** Reconciled labels; catalog topic. */
  LABELS("alfer.labels", LabelAssigned.class, true, Encoding.PROTOBUF, "campaign id/image id"),
  /** Campaign events (event-sourced state); catalog topic. */
  CAMPAIGNS("alfer.campaigns", CampaignEvent.class, true, Encoding.PROTOBUF, "campaign id/seq");

  /** How a topic's values are written. */
  public enum Encoding {
    /** Binary protobuf. */
    PROTOBUF,
    /** The protobuf type's canonical JSON form (vendor-facing). */
    JSON
  }

  /** Suffix of a topic's dead-letter topic. */
  public static final String DLQ_SUFFIX = ".dlq";

  private final String topicName;
  private final Class<? extends Message> messageType;
  private final boolean compacted;
  private final Encoding encoding;
  private final String key;

  Topic(
      String topicName,
      Class<? extends Message> messageType,
      boolean compacted,
      Encoding encoding,
      String key) {
    this.topicName = topicName;
    this.messageType = messageType;
    this.compacted = compacted;
    this.encoding = encoding;
    this.key = key;
  }

  /** The Kafka topic name, e.g. {@code alfer.images}. */
  public String topicName() {
    return topicName;
  }

  /** The name of this topic's dead-letter topic. */
  public String dlqName() {
    return topicName + DLQ_SUFFIX;
  }

  /** The protobuf type every record value of this topic holds. */
  public Class<? extends Message> messageType() {
    return messageType;
  }

  /** Whether the topic is compacted ({@code cleanup.policy=compact}). */
  public boolean compacted() {
    return compacted;
  }

  /** How values are encoded. */
  public Encoding encoding() {
    return encoding;
  }

  /** What the record key is. */
  public String key() {
    return key;
  }

  /** The topic with this Kafka name, if it is one of alfer's. */
  public static Optional<Topic> byName(String topicName) {
    return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
  }
}
