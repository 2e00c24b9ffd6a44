package io.alfer.ingest.dataset;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Replays the compacted catalog topics ({@code alfer.datasets}, {@code alfer.images}) into the
 * {@link Catalog} at start-up and then follows them, so that announcements of other instances are
 * seen too. The service is ready only once the replay has caught up.
 */
@ApplicationScoped
public class CatalogFollower {
  private final Catalog catalog;
  private final String bootstrapServers;
  private volatile TopicFollower follower;

  public CatalogFollower(
      Catalog catalog, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.catalog = catalog;
    this.bootstrapServers = bootstrapServers;
  }

  void onStart(@Observes StartupEvent event) {
    follower =
        TopicFollower.start(bootstrapServers, List.of(Topic.DATASETS, Topic.IMAGES), this::apply);
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
}
