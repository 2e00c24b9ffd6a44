package io.alfer.console.gallery;

import io.alfer.console.config.ConsoleConfig;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.proto.v1.ImageIngested;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A few sample images of every class of every dataset, for the datasets page's gallery: the first
 * {@code alfer.console.samples-per-class} labelled images of each (dataset, class) announced on
 * {@code alfer.images}, followed from the beginning at every start (no consumer group). Only ids
 * are kept; the pixels are read from object storage when a page shows them.
 */
@ApplicationScoped
public class Samples {
  private final ConsoleConfig config;
  private final Map<String, Object> kafkaConfig;
  private final Map<String, SortedMap<Integer, List<String>>> byDataset = new ConcurrentHashMap<>();
  private TopicFollower follower;

  public Samples(
      ConsoleConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.config = config;
    this.kafkaConfig = kafkaConfig;
  }

  void start(@Observes StartupEvent event) {
    follower = TopicFollower.start(kafkaConfig, List.of(Topic.IMAGES), this::record);
  }

  void stop(@Observes ShutdownEvent event) {
    if (follower != null) {
      follower.close();
    }
  }

  void record(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    ImageIngested image;
    try {
      image = ImageIngested.parseFrom(record.value());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ImageIngested: " + e.getMessage(), e);
    }
    add(image.getDataset(), image.getLabel(), image.getImageId());
  }

  /** Keeps an image as a sample of its class unless the class has its samples already. */
  void add(String dataset, int label, String imageId) {
    if (label < 0 || dataset.isEmpty() || imageId.isEmpty()) {
      return;
    }
    SortedMap<Integer, List<String>> classes =
        byDataset.computeIfAbsent(dataset, d -> new TreeMap<>());
    synchronized (classes) {
      List<String> ids = classes.computeIfAbsent(label, l -> new ArrayList<>());
      if (ids.size() < config.samplesPerClass() && !ids.contains(imageId)) {
        ids.add(imageId);
      }
    }
  }

  /** The samples of a dataset by class index (empty when none was seen). */
  public SortedMap<Integer, List<String>> of(String dataset) {
    SortedMap<Integer, List<String>> classes = byDataset.get(dataset);
    if (classes == null) {
      return new TreeMap<>();
    }
    synchronized (classes) {
      SortedMap<Integer, List<String>> copy = new TreeMap<>();
      classes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return copy;
    }
  }

  /** Whether the replay of {@code alfer.images} has reached its end as of the start. */
  public boolean caughtUp() {
    return follower != null && follower.caughtUp();
  }
}
