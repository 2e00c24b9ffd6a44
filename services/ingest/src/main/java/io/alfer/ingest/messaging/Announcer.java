package io.alfer.ingest.messaging;

import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Announces stored images on {@code alfer.images} and dataset definitions on {@code
 * alfer.datasets}. Each send completes when the broker has acknowledged the record.
 */
@ApplicationScoped
public class Announcer {
  private final MutinyEmitter<Record<String, ImageIngested>> images;
  private final MutinyEmitter<Record<String, DatasetDefined>> datasets;

  public Announcer(
      @Channel("images-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          MutinyEmitter<Record<String, ImageIngested>> images,
      @Channel("datasets-out") MutinyEmitter<Record<String, DatasetDefined>> datasets) {
    this.images = images;
    this.datasets = datasets;
  }

  /** Announces an image, keyed by its id; completes on the broker's ack. */
  public Uni<Void> imageIngested(ImageIngested event) {
    return images.send(Record.of(event.getImageId(), event));
  }

  /** Announces a dataset definition, keyed by the dataset name. */
  public Uni<Void> datasetDefined(DatasetDefined event) {
    return datasets.send(Record.of(event.getDataset(), event));
  }
}
