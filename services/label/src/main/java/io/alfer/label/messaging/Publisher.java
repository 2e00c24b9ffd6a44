package io.alfer.label.messaging;

import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.kit.messaging.DeadLetterMessages;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.contract.ContractJson;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes everything the label service produces: tasks and HTTP-submitted results (JSON with
 * CloudEvents headers) on the vendor's own topics ({@link VendorTopics}: each record names its
 * topic, the channels' topics are only defaults), labels (protobuf) and refused records
 * (dead-letter topics). Each send completes when the broker has acknowledged the record.
 */
@ApplicationScoped
public class Publisher {
  /** Source of the events this service writes. */
  public static final String SOURCE = "/alfer/label";

  /** The value of {@link DeadLetter#CONSUMER} on this service's dead letters. */
  public static final String CONSUMER = "label";

  private final MutinyEmitter<byte[]> tasks;
  private final MutinyEmitter<byte[]> results;
  private final MutinyEmitter<Record<String, LabelAssigned>> labels;
  private final MutinyEmitter<byte[]> resultsDlq;
  private final MutinyEmitter<byte[]> selectionsDlq;
  private final String instance;

  public Publisher(
      @Channel("tasks-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
          MutinyEmitter<byte[]> tasks,
      @Channel("results-out") MutinyEmitter<byte[]> results,
      @Channel("labels-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          MutinyEmitter<Record<String, LabelAssigned>> labels,
      @Channel("results-dlq-out") MutinyEmitter<byte[]> resultsDlq,
      @Channel("selections-dlq-out") MutinyEmitter<byte[]> selectionsDlq,
      LabelConfig config) {
    this.tasks = tasks;
    this.results = results;
    this.labels = labels;
    this.resultsDlq = resultsDlq;
    this.selectionsDlq = selectionsDlq;
    this.instance = config.instance();
  }

  /**
   * Issues a task on its vendor's {@code alfer.vendor.<v>.tasks}: JSON, key = task id, CloudEvents
   * type {@value CloudEvents#LABEL_TASK_TYPE}.
   */
  public Uni<Void> task(LabelTask task, Instant now) {
    Map<String, String> headers =
        CloudEvents.jsonHeaders(
            CloudEvents.LABEL_TASK_TYPE, task.getTaskId(), SOURCE, now, task.getImageId());
    return tasks.sendMessage(
        json(
            VendorTopics.tasks(task.getVendor()),
            task.getTaskId(),
            ContractJson.task(task),
            headers));
  }

  /**
   * Puts a result submitted over HTTP on its vendor's {@code alfer.vendor.<v>.results}, as the
   * vendor would.
   */
  public Uni<Void> result(LabelResult result, Instant now) {
    Map<String, String> headers =
        CloudEvents.jsonHeaders(
            CloudEvents.LABEL_RESULT_TYPE,
            UUID.randomUUID().toString(),
            SOURCE + "/vendors/" + result.getVendor(),
            now,
            result.getTaskId());
    return results.sendMessage(
        json(
            VendorTopics.results(result.getVendor()),
            result.getTaskId(),
            ContractJson.result(result),
            headers));
  }

  /** Announces a reconciled label, keyed by campaign id/image id. */
  public Uni<Void> label(String key, LabelAssigned label) {
    return labels.send(Record.of(key, label));
  }

  /**
   * Dead-letters a refused result on its topic's {@code .dlq} (the vendor's): the original key,
   * value and headers plus the reason.
   */
  public Uni<Void> refusedResult(DeadLetter letter) {
    return resultsDlq.sendMessage(DeadLetterMessages.routed(letter, CONSUMER, instance));
  }

  /** Dead-letters a selection that cannot become tasks. */
  public Uni<Void> refusedSelection(DeadLetter letter) {
    return selectionsDlq.sendMessage(DeadLetterMessages.of(letter, CONSUMER, instance));
  }

  private static Message<byte[]> json(
      String topic, String key, String json, Map<String, String> headers) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((name, value) -> h.add(name, bytes(value)));
    return Message.of(json.getBytes(StandardCharsets.UTF_8))
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(h)
                .build());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
