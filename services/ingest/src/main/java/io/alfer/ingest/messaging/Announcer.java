package io.alfer.ingest.messaging;

import io.alfer.core.catalog.CatalogWriter;
import io.alfer.core.storage.ObjectStore;
import io.alfer.ingest.config.IngestConfig;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Announces stored images on {@code alfer.images} and dataset definitions on {@code alfer.datasets}
 * with the service's emitters, for the {@link CatalogWriter} the service writes through. Each send
 * completes when the broker has acknowledged the record.
 */
@ApplicationScoped
public class Announcer implements CatalogWriter.Announcer {
  private final MutinyEmitter<Record<String, ImageIngested>> images;
  private final MutinyEmitter<Record<String, DatasetDefined>> datasets;

  public Announcer(
      @Channel("images-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          MutinyEmitter<Record<String, ImageIngested>> images,
      @Channel("datasets-out") MutinyEmitter<Record<String, DatasetDefined>> datasets) {
    this.images = images;
    this.datasets = datasets;
  }

  @Override
  public CompletionStage<Void> image(ImageIngested event) {
    return images.send(Record.of(event.getImageId(), event)).subscribeAsCompletionStage();
  }

  @Override
  public CompletionStage<Void> dataset(DatasetDefined event) {
    return datasets.send(Record.of(event.getDataset(), event)).subscribeAsCompletionStage();
  }

  /** The service's writer of definitions and images. */
  @Produces
  @Singleton
  static CatalogWriter writer(ObjectStore store, Announcer announcer, IngestConfig config) {
    return new CatalogWriter(store, announcer, "ingest", config.instance());
  }
}
