package io.alfer.oracle.answer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.alfer.core.messaging.CloudEvents;
import io.alfer.proto.v1.LabelResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes answers to the vendor's result topic exactly as any vendor must: the result's JSON form,
 * key = task id, CloudEvents headers with {@code ce_source} ending in {@code /vendors/<vendor>}.
 */
@ApplicationScoped
public class ResultSender {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final MutinyEmitter<byte[]> results;

  public ResultSender(@Channel("results-out") MutinyEmitter<byte[]> results) {
    this.results = results;
  }

  /** Sends a result as answered at {@code now} (the record's timestamp); completes on the ack. */
  public Uni<Void> send(LabelResult result, Instant now) {
    String json;
    try {
      json = JSON.print(result);
    } catch (InvalidProtocolBufferException e) {
      return Uni.createFrom().failure(e);
    }
    RecordHeaders headers = new RecordHeaders();
    CloudEvents.jsonHeaders(
            CloudEvents.LABEL_RESULT_TYPE,
            UUID.randomUUID().toString(),
            "/alfer/vendors/" + result.getVendor(),
            now,
            result.getTaskId())
        .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return results.sendMessage(
        Message.of(json.getBytes(StandardCharsets.UTF_8))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(result.getTaskId())
                    .withTimestamp(now) // the answer's time: the label service checks the deadline
                    .withHeaders(headers)
                    .build()));
  }
}
