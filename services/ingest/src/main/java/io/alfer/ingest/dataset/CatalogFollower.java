package io.alfer.ingest.dataset;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.kit.health.ReadinessPart;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Replays the compacted catalog topics ({@code alfer.datasets}, {@code alfer.images}) into the
 * {@link Catalog} at start-up and then follows them, so that announcements of other instances are
 * seen too. The service is ready only once the replay has caught up.
 */
@ApplicationScoped
public class CatalogFollower implements ReadinessPart {
  private final Catalog catalog;
  private final Map<String, Object> kafkaConfig;
  private volatile TopicFollower follower;

  public CatalogFollower(
      Catalog catalog, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.catalog = catalog;
    this.kafkaConfig = kafkaConfig;
  }

  void onStart(@Observes StartupEvent event) {
    follower = TopicFollower.start(kafkaConfig, List.of(Topic.DATASETS, Topic.IMAGES), this::apply);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (follower != null) {
      follower.close();
    }
  }

  /** Whether the start-up replay has reached the end of the catalog topics. */
  public boolean caughtUp() {
    return follower != null && follower.caughtUp();
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      if (r.topic().equals(Topic.DATASETS.topicName())) {
        catalog.define(DatasetDefined.parseFrom(r.value()));
      } else {
        catalog.record(ImageIngested.parseFrom(r.value()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("undecodable catalog record: " + e.getMessage(), e);
    }
  }

  @Override
  public String readinessName() {
    return "catalog";
  }

  @Override
  public boolean ready() {
    return caughtUp();
  }
}
