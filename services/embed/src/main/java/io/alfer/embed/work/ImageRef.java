package io.alfer.embed.work;

import io.alfer.proto.v1.ImageIngested;

/**
 * An image of a partition of {@code alfer.images} this replica owns.
 *
 * @param event the announcement (canonical PNG key, dataset, split)
 * @param partition its partition
 * @param offset its offset
 */
public record ImageRef(ImageIngested event, int partition, long offset) {
  public String id() {
    return event.getImageId();
  }
}
