package io.alfer.oracle.truth;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.proto.v1.ImageIngested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ground-truth label of every image, replayed from the compacted alfer.images topic at start-up
 * and followed afterwards ({@code ImageIngested.label}; -1 means unknown).
 */
@ApplicationScoped
public class GroundTruth {
  private final Map<String, Integer> labels = new ConcurrentHashMap<>();
  private final String bootstrapServers;
  private volatile TopicFollower follower;

  public GroundTruth(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  void onStart(@Observes StartupEvent event) {
    follower = TopicFollower.start(bootstrapServers, List.of(Topic.IMAGES), this::apply);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (follower != null) {
      follower.close();
    }
  }

  /** Whether the replay of alfer.images has caught up. */
  public boolean caughtUp() {
    return follower != null && follower.caughtUp();
  }

  /** Waits (bounded) for the replay; returns whether it caught up. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower != null && follower.awaitCaughtUp(timeout);
  }

  /** The true label index of an image, if known. */
  public OptionalInt label(String dataset, String imageId) {
    Integer label = labels.get(dataset + "/" + imageId);
    return label == null || label < 0 ? OptionalInt.empty() : OptionalInt.of(label);
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      ImageIngested image = ImageIngested.parseFrom(r.value());
      labels.put(image.getDataset() + "/" + image.getImageId(), image.getLabel());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("undecodable record on alfer.images", e);
    }
  }
}
