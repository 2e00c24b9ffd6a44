package io.alfer.oracle.truth;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.proto.v1.ImageIngested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ground-truth label of every image, replayed from the compacted alfer.images topic at start-up
 * and followed afterwards ({@code ImageIngested.label}; -1 means unknown).
 */
@ApplicationScoped
public class GroundTruth {
  private final Map<String, Integer> labels = new ConcurrentHashMap<>();
  private final Map<String, Object> kafkaConfig;
  private volatile TopicFollower follower;

  public GroundTruth(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.kafkaConfig = kafkaConfig;
  }

  void onStart(@Observes StartupEvent event) {
    follower = TopicFollower.start(kafkaConfig, List.of(Topic.IMAGES), this::apply);
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
