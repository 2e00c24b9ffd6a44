package io.alfer.select.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.claim.ClaimRefused;
import io.alfer.core.claim.Claims;
import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.core.storage.StorageException;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.select.messaging.Publisher;
import io.alfer.select.metrics.SelectMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Decodes and checks one record of an input topic and hands it to the state. A record that cannot
 * be used — undecodable, or missing what the loop needs — goes to the topic's {@code .dlq} with its
 * reason (once: dead letters of earlier runs are recognised) and is counted; the follower goes on.
 * Tombstones (records without a value) are skipped. A campaign event whose round's selection or
 * labels are claim-checked is applied only with its payload read back whole ({@link Claims}): a
 * missing, corrupt or undecodable object dead-letters the event ({@code claim_missing}, {@code
 * claim_corrupt}, {@code claim_undecodable}) and nothing of it is applied; while object storage
 * does not answer, the event (and its partition) waits and is read again.
 */
@ApplicationScoped
public class InputRecords {
  private static final Logger LOG = Logger.getLogger(InputRecords.class);

  private final Publisher publisher;
  private final Claims claims;
  private final SelectMetrics metrics;

  public InputRecords(Publisher publisher, Claims claims, SelectMetrics metrics) {
    this.publisher = publisher;
    this.claims = claims;
    this.metrics = metrics;
  }

  /** A refusal: stable reason and what was wrong. */
  private static final class Refused extends Exception {
    final String reason;

    Refused(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  /**
   * Handles one record; never throws for a bad record.
   *
   * @throws TopicFollower.RetryLater when object storage does not answer (nothing was applied)
   */
  public void handle(Life life, ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    String topic = r.topic();
    try {
      if (topic.equals(Topic.CAMPAIGNS.topicName())) {
        life.book().read(resolved(life, campaignEvent(r)));
      } else if (topic.equals(Topic.DATASETS.topicName())) {
        life.inputs().dataset(dataset(r.value()));
      } else if (topic.equals(Topic.IMAGES.topicName())) {
        life.inputs().image(image(r.value()));
      } else if (topic.equals(Topic.MODELS.topicName())) {
        life.inputs().model(model(r.value()));
      } else if (topic.equals(Topic.EMBEDDINGS.topicName())) {
        life.inputs().embeddings(embeddings(r.value()));
      } else if (topic.equals(Topic.LABELS.topicName())) {
        LabelAssigned label = label(r.value());
        life.inputs().label(label);
        if (life.firstLabel(label.getCampaignId(), label.getImageId())) {
          metrics.labelled();
        }
      } else if (topic.equals(Topic.TRAINING_PROGRESS.topicName())) {
        life.inputs().progress(progress(r.value()));
      } else if (topic.equals(Topic.SELECTIONS.dlqName())) {
        refusedSelection(life, r);
      }
    } catch (Refused e) {
      deadLetter(life, r, e.reason, e.getMessage());
    }
  }

  private static CampaignEvent campaignEvent(ConsumerRecord<String, byte[]> r) throws Refused {
    CampaignEvent e = parse(() -> CampaignEvent.parseFrom(r.value()), "CampaignEvent");
    if (e.getCampaignId().isEmpty()) {
      throw new Refused("invalid_event", "campaign event without campaign_id");
    }
    if (e.getEventCase() == CampaignEvent.EventCase.EVENT_NOT_SET) {
      throw new Refused("invalid_event", "campaign event " + r.key() + " carries no event");
    }
    String key = e.getCampaignId() + "/" + e.getSequence();
    if (!key.equals(r.key())) {
      throw new Refused(
          "invalid_event", "campaign event keyed '" + r.key() + "' says it is " + key);
    }
    return e;
  }

  /**
   * The event with its claimed payload read back; an event the book does not want (this process's
   * own write, read back) is passed on as it is.
   */
  private CampaignEvent resolved(Life life, CampaignEvent e) throws Refused {
    if (!life.book().wants(e)) {
      return e;
    }
    try {
      return claims.resolve(e);
    } catch (ClaimRefused refused) {
      throw new Refused(refused.reason(), refused.getMessage());
    } catch (StorageException outage) {
      throw new TopicFollower.RetryLater(
          "object storage unavailable: " + outage.getMessage(), outage);
    }
  }

  private static DatasetDefined dataset(byte[] value) throws Refused {
    DatasetDefined d = parse(() -> DatasetDefined.parseFrom(value), "DatasetDefined");
    if (d.getDataset().isEmpty() || d.getTaxonomy().getClassesCount() == 0) {
      throw new Refused("invalid_dataset", "dataset definition without a name or classes");
    }
    return d;
  }

  private static ImageIngested image(byte[] value) throws Refused {
    ImageIngested i = parse(() -> ImageIngested.parseFrom(value), "ImageIngested");
    if (i.getImageId().isEmpty() || i.getDataset().isEmpty()) {
      throw new Refused("invalid_image", "image announcement without image_id or dataset");
    }
    if (i.getSplit() != Split.SPLIT_POOL && i.getSplit() != Split.SPLIT_TEST) {
      throw new Refused("invalid_image", "image " + i.getImageId() + " has no split");
    }
    return i;
  }

  private static ModelPublished model(byte[] value) throws Refused {
    ModelPublished m = parse(() -> ModelPublished.parseFrom(value), "ModelPublished");
    if (m.getModelId().isEmpty() || m.getDataset().isEmpty()) {
      throw new Refused("invalid_model", "model announcement without model_id or dataset");
    }
    if (m.getKind() != ModelKind.MODEL_KIND_ENCODER
        && m.getKind() != ModelKind.MODEL_KIND_CLASSIFIER) {
      throw new Refused("invalid_model", "model " + m.getModelId() + " has no kind");
    }
    return m;
  }

  private static EmbeddingsReady embeddings(byte[] value) throws Refused {
    EmbeddingsReady e = parse(() -> EmbeddingsReady.parseFrom(value), "EmbeddingsReady");
    if (e.getModelId().isEmpty() || e.getDataset().isEmpty()) {
      throw new Refused("invalid_embeddings", "embeddings without model_id or dataset");
    }
    if (e.getSplit() != Split.SPLIT_POOL && e.getSplit() != Split.SPLIT_TEST) {
      throw new Refused("invalid_embeddings", "embeddings of " + e.getModelId() + " have no split");
    }
    if (e.getIds().getKey().isEmpty() || e.getEmbeddings().getObject().getKey().isEmpty()) {
      throw new Refused(
          "invalid_embeddings",
          "embeddings of " + e.getModelId() + " name no ids or embeddings object");
    }
    return e;
  }

  private static LabelAssigned label(byte[] value) throws Refused {
    LabelAssigned l = parse(() -> LabelAssigned.parseFrom(value), "LabelAssigned");
    if (l.getCampaignId().isEmpty() || l.getImageId().isEmpty()) {
      throw new Refused("invalid_label", "label without campaign_id or image_id");
    }
    if (l.getOutcome() == LabelOutcome.UNRECOGNIZED) {
      throw new Refused(
          "invalid_label",
          "label of "
              + l.getCampaignId()
              + "/"
              + l.getImageId()
              + " has an unknown outcome "
              + l.getOutcomeValue());
    }
    if (l.getLabel() < 0 && l.getOutcome() == LabelOutcome.LABEL_OUTCOME_LABELLED) {
      throw new Refused(
          "invalid_label",
          "label of " + l.getCampaignId() + "/" + l.getImageId() + " is " + l.getLabel());
    }
    return l;
  }

  private static TrainingProgress progress(byte[] value) throws Refused {
    TrainingProgress p = parse(() -> TrainingProgress.parseFrom(value), "TrainingProgress");
    if (p.getJobId().isEmpty()) {
      throw new Refused("invalid_progress", "training progress without job_id");
    }
    if (p.getState() == JobState.JOB_STATE_UNSPECIFIED || p.getState() == JobState.UNRECOGNIZED) {
      throw new Refused("invalid_progress", "progress of job " + p.getJobId() + " has no state");
    }
    return p;
  }

  /** A selection the label service dead-lettered: the campaign cannot go on with it. */
  private static void refusedSelection(Life life, ConsumerRecord<String, byte[]> r) {
    SelectionMade s;
    try {
      s = SelectionMade.parseFrom(r.value());
    } catch (InvalidProtocolBufferException e) {
      return; // not one of ours; the label service said why already
    }
    if (s.getCampaignId().isEmpty()) {
      return;
    }
    String reason = DeadLetter.text(r.headers(), DeadLetter.REASON);
    String cause = DeadLetter.text(r.headers(), DeadLetter.CAUSE);
    life.inputs()
        .selectionRefused(
            s.getCampaignId(),
            s.getRound(),
            (reason == null ? "refused" : reason) + (cause == null ? "" : ": " + cause));
  }

  private void deadLetter(Life life, ConsumerRecord<String, byte[]> r, String reason, String why) {
    if (life.deadLettered(r.topic(), r.partition(), r.offset())) {
      return;
    }
    LOG.warnf("%s-%d@%d dead-lettered: %s: %s", r.topic(), r.partition(), r.offset(), reason, why);
    try {
      publisher.deadLetter(DeadLetter.of(r, reason, why));
      life.markDeadLettered(r.topic(), r.partition(), r.offset());
      metrics.deadLetter(r.topic(), reason);
    } catch (RuntimeException e) {
      LOG.errorf(e, "cannot dead-letter %s-%d@%d", r.topic(), r.partition(), r.offset());
    }
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> parser, String type) throws Refused {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new Refused("undecodable", "not a " + type + ": " + e.getMessage());
    }
  }
}
