package io.alfer.core.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The catalog topics, {@code alfer.datasets} and {@code alfer.images}, as a service replays them:
 * each record is decoded and handed to a {@link Catalog}. Ingest and the trainer keep a catalog
 * this way; a tombstone (no value) is skipped.
 */
public final class CatalogRecords {
  /** The topics a catalog follows, in the order they are listed to the follower. */
  public static final List<Topic> TOPICS = List.of(Topic.DATASETS, Topic.IMAGES);

  /** What a catalog does with the records. */
  public interface Catalog {
    /** A dataset was defined (or redefined). */
    void define(DatasetDefined dataset);

    /** An image was ingested. */
    void record(ImageIngested image);
  }

  private CatalogRecords() {}

  /**
   * Decodes {@code record}, read from one of {@link #TOPICS}, into {@code catalog}.
   *
   * @throws IllegalArgumentException when its value is not the topic's message
   */
  public static void apply(ConsumerRecord<String, byte[]> record, Catalog catalog) {
    if (record.value() == null) {
      return;
    }
    try {
      if (record.topic().equals(Topic.DATASETS.topicName())) {
        catalog.define(DatasetDefined.parseFrom(record.value()));
      } else if (record.topic().equals(Topic.IMAGES.topicName())) {
        catalog.record(ImageIngested.parseFrom(record.value()));
      } else {
        throw new IllegalArgumentException("not a catalog topic: " + record.topic());
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "undecodable catalog record on " + record.topic() + ": " + e.getMessage(), e);
    }
  }
}
