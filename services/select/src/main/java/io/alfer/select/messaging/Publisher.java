package io.alfer.select.messaging;

import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.select.config.SelectConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes everything the select service produces — campaign events, selections, training requests
 * and dead letters — and returns when the broker has acknowledged the record (or throws).
 */
@ApplicationScoped
public class Publisher {
  /** Header: the stable reason a record was dead-lettered, e.g. {@code undecodable}. */
  public static final String DLQ_REASON = "dead-letter-reason";

  /** Header: what was wrong, for people. */
  public static final String DLQ_CAUSE = "dead-letter-cause";

  /** Header: topic the dead-lettered record was read from. */
  public static final String DLQ_TOPIC = "dead-letter-topic";

  /** Header: its partition. */
  public static final String DLQ_PARTITION = "dead-letter-partition";

  /** Header: its offset. */
  public static final String DLQ_OFFSET = "dead-letter-offset";

  /** Header: the consumer that refused it ({@value #CONSUMER}). */
  public static final String DLQ_CONSUMER = "dead-letter-consumer";

  /** Header: the instance that refused it. */
  public static final String DLQ_INSTANCE = "dead-letter-instance";

  /** The value of {@value #DLQ_CONSUMER} on this service's dead letters. */
  public static final String CONSUMER = "select";

  private final MutinyEmitter<Record<String, CampaignEvent>> campaigns;
  private final MutinyEmitter<Record<String, SelectionMade>> selections;
  private final MutinyEmitter<Record<String, TrainingRequest>> training;
  private final MutinyEmitter<byte[]> deadLetters;
  private final Duration timeout;
  private final String instance;

  public Publisher(
      @Channel("campaigns-out") MutinyEmitter<Record<String, CampaignEvent>> campaigns,
      @Channel("selections-out") MutinyEmitter<Record<String, SelectionMade>> selections,
      @Channel("training-out") MutinyEmitter<Record<String, TrainingRequest>> training,
      @Channel("dead-letters-out")
          @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
          MutinyEmitter<byte[]> deadLetters,
      SelectConfig config) {
    this.campaigns = campaigns;
    this.selections = selections;
    this.training = training;
    this.deadLetters = deadLetters;
    this.timeout = config.sendTimeout();
    this.instance = config.instance();
  }

  /** Appends a campaign event, keyed {@code <campaign id>/<sequence>}. */
  public void campaignEvent(CampaignEvent event) {
    campaigns
        .send(Record.of(event.getCampaignId() + "/" + event.getSequence(), event))
        .await()
        .atMost(timeout);
  }

  /** Announces a selection on alfer.selections, keyed by campaign id. */
  public void selection(SelectionMade selection) {
    selections.send(Record.of(selection.getCampaignId(), selection)).await().atMost(timeout);
  }

  /** Asks the trainer for a job on alfer.training.requests, keyed by job id. */
  public void trainingRequest(TrainingRequest request) {
    training.send(Record.of(request.getJobId(), request)).await().atMost(timeout);
  }

  /**
   * Dead-letters a record to {@code dlqTopic}: the original key, value and headers plus why and
   * where it was read.
   */
  public void deadLetter(
      String dlqTopic,
      String topic,
      int partition,
      long offset,
      String key,
      byte[] value,
      Iterable<Header> headers,
      String reason,
      String cause) {
    RecordHeaders h = new RecordHeaders();
    for (Header header : headers) {
      h.add(header);
    }
    h.add(DLQ_REASON, bytes(reason));
    h.add(DLQ_CAUSE, bytes(cause == null ? reason : cause));
    h.add(DLQ_TOPIC, bytes(topic));
    h.add(DLQ_PARTITION, bytes(Integer.toString(partition)));
    h.add(DLQ_OFFSET, bytes(Long.toString(offset)));
    h.add(DLQ_CONSUMER, bytes(CONSUMER));
    h.add(DLQ_INSTANCE, bytes(instance));
    Message<byte[]> message =
        Message.of(value == null ? new byte[0] : value)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(dlqTopic)
                    .withKey(key)
                    .withHeaders(h)
                    .build());
    deadLetters.sendMessage(message).await().atMost(timeout);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
