package io.alfer.embed.messaging;

import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.Topic;
import io.alfer.embed.config.EmbedConfig;
import io.alfer.kit.messaging.DeadLetterMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends records that cannot be processed to {@code <topic>.dlq}, unchanged, with why and who in the
 * {@link DeadLetter} headers, and counts them by source topic and reason.
 */
@ApplicationScoped
public class DeadLetters implements DeadLetterSink {
  /** The value of {@link DeadLetter#CONSUMER} on this service's dead letters. */
  public static final String CONSUMER = "embed";

  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private final Emitter<byte[]> images;
  private final Emitter<byte[]> models;
  private final Emitter<byte[]> work;
  private final MeterRegistry registry;
  private final String instance;

  public DeadLetters(
      @Channel("images-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          Emitter<byte[]> images,
      @Channel("models-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
          Emitter<byte[]> models,
      @Channel("work-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
          Emitter<byte[]> work,
      MeterRegistry registry,
      EmbedConfig config) {
    this.images = images;
    this.models = models;
    this.work = work;
    this.registry = registry;
    this.instance = config.instance();
  }

  @Override
  public void deadLetter(Topic source, String key, byte[] value, String reason, String cause) {
    Emitter<byte[]> emitter =
        switch (source) {
          case IMAGES -> images;
          case MODELS -> models;
          case EMBED_WORK -> work;
          default -> throw new IllegalArgumentException("embed consumes no " + source);
        };
    LOG.warnf("dead-lettering %s record %s: %s (%s)", source.topicName(), key, reason, cause);
    emitter.send(
        DeadLetterMessages.of(
            DeadLetter.unplaced(source.topicName(), key, value, reason, cause),
            CONSUMER,
            instance));
    Counter.builder("alfer.embed.dead.letters")
        .description("Records sent to a dead-letter topic, by source topic and reason")
        .tag("topic", source.topicName())
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
