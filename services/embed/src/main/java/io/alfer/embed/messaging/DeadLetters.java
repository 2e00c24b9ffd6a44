package io.alfer.embed.messaging;

import io.alfer.core.messaging.Topic;
import io.alfer.embed.config.EmbedConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends records that cannot be processed to {@code <topic>.dlq}, unchanged, with why in the headers
 * ({@value #REASON}, {@value #CAUSE}, {@value #SOURCE_TOPIC}, {@value #INSTANCE}) — the names
 * SmallRye's own dead-letter strategy uses, plus the instance that refused it.
 */
@ApplicationScoped
public class DeadLetters implements DeadLetterSink {
  public static final String REASON = "dead-letter-reason";
  public static final String CAUSE = "dead-letter-cause";
  public static final String SOURCE_TOPIC = "dead-letter-topic";
  public static final String INSTANCE = "dead-letter-instance";

  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private final Emitter<byte[]> images;
  private final Emitter<byte[]> models;
  private final MeterRegistry registry;
  private final String instance;

  public DeadLetters(
      @Channel("images-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          Emitter<byte[]> images,
      @Channel("models-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
          Emitter<byte[]> models,
      MeterRegistry registry,
      EmbedConfig config) {
    this.images = images;
    this.models = models;
    this.registry = registry;
    this.instance = config.instance();
  }

  @Override
  public void deadLetter(Topic source, String key, byte[] value, String reason, String cause) {
    Emitter<byte[]> emitter =
        switch (source) {
          case IMAGES -> images;
          case MODELS -> models;
          default -> throw new IllegalArgumentException("embed consumes no " + source);
        };
    LOG.warnf("dead-lettering %s record %s: %s (%s)", source.topicName(), key, reason, cause);
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(CAUSE, cause.getBytes(StandardCharsets.UTF_8));
    headers.add(SOURCE_TOPIC, source.topicName().getBytes(StandardCharsets.UTF_8));
    headers.add(INSTANCE, instance.getBytes(StandardCharsets.UTF_8));
    emitter.send(
        Message.of(value == null ? new byte[0] : value)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(key)
                    .withHeaders(headers)
                    .build()));
    Counter.builder("alfer.embed.dead.letters")
        .description("Records sent to a dead-letter topic, by source topic and reason")
        .tag("topic", source.topicName())
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
