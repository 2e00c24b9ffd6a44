package io.alfer.experiment.data;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a dataset's catalog from the compacted topics {@code alfer.datasets} and {@code
 * alfer.images}, as the services do at start-up: replay from the beginning up to the end offsets
 * seen when reading began, then stop.
 */
public final class CatalogReader {
  private final String bootstrapServers;
  private final Duration timeout;

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param timeout how long the replay may take before the read fails
   */
  public CatalogReader(String bootstrapServers, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
  }

  /**
   * The catalog of {@code dataset}, or empty when the topics hold neither its definition nor any of
   * its images.
   *
   * @throws IllegalStateException when the replay does not finish within the timeout, or the
   *     dataset has images but no definition
   */
  public Optional<DatasetCatalog> read(String dataset) {
    Map<String, ImageIngested> images = new ConcurrentHashMap<>();
    DatasetDefined[] definition = new DatasetDefined[1];
    TopicFollower follower =
        TopicFollower.start(
            bootstrapServers,
            List.of(Topic.DATASETS, Topic.IMAGES),
            r -> apply(r, dataset, images, definition));
    try {
      if (!follower.awaitCaughtUp(timeout)) {
        throw new IllegalStateException(
            "could not read the catalog topics within "
                + timeout.toSeconds()
                + " s: is Kafka reachable at "
                + bootstrapServers
                + "?");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the catalog", e);
    } finally {
      follower.close();
    }
    DatasetDefined defined;
    synchronized (definition) {
      defined = definition[0];
    }
    if (defined == null && images.isEmpty()) {
      return Optional.empty();
    }
    if (defined == null) {
      throw new IllegalStateException(
          "dataset "
              + dataset
              + " has "
              + images.size()
              + " images on "
              + Topic.IMAGES.topicName()
              + " but no definition on "
              + Topic.DATASETS.topicName());
    }
    return Optional.of(catalog(defined, images));
  }

  private static void apply(
      ConsumerRecord<String, byte[]> r,
      String dataset,
      Map<String, ImageIngested> images,
      DatasetDefined[] definition) {
    if (r.value() == null) {
      return;
    }
    try {
      if (r.topic().equals(Topic.DATASETS.topicName())) {
        DatasetDefined d = DatasetDefined.parseFrom(r.value());
        if (d.getDataset().equals(dataset)) {
          synchronized (definition) {
            definition[0] = d; // the latest wins, as on the compacted topic
          }
        }
      } else {
        ImageIngested image = ImageIngested.parseFrom(r.value());
        if (image.getDataset().equals(dataset)) {
          images.put(image.getImageId(), image);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      // not ours to judge: the services dead-letter such records; the catalog skips them too
    }
  }

  private static DatasetCatalog catalog(DatasetDefined d, Map<String, ImageIngested> images) {
    List<String> pool = new ArrayList<>();
    List<String> test = new ArrayList<>();
    Map<String, Integer> labels = new HashMap<>();
    images.forEach(
        (id, image) -> {
          labels.put(id, image.getLabel());
          if (image.getSplit() == Split.SPLIT_POOL) {
            pool.add(id);
          } else if (image.getSplit() == Split.SPLIT_TEST && image.getLabel() >= 0) {
            test.add(id);
          }
        });
    pool.sort(String::compareTo);
    test.sort(String::compareTo);
    return new DatasetCatalog(
        d.getDataset(),
        d.getTaxonomy().getClassesList(),
        d.getWidth(),
        d.getHeight(),
        pool,
        pool.stream().mapToInt(labels::get).toArray(),
        test,
        test.stream().mapToInt(labels::get).toArray());
  }
}
