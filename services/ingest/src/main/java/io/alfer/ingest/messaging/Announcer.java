package io.alfer.ingest.messaging;

import io.alfer.core.catalog.CatalogWriter;
import io.alfer.core.messaging.Acked;
import io.alfer.core.storage.ObjectStore;
import io.alfer.ingest.config.IngestConfig;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Announces stored images on {@code alfer.images} and dataset definitions on {@code alfer.datasets}
 * with the service's channels, for the {@link CatalogWriter} the service writes through. Each send
 * completes when the broker has acknowledged the record.
 *
 * <p>An image goes straight to its channel's Kafka producer (configuration, serialiser and
 * credentials are the channel's): an import announces one record per image (35,887 for FER2013),
 * and the emitter's per-message stages (message, metadata, acknowledgement chain, sending thread)
 * took several times the producer's own work — a tenth of the service's CPU in a profiled import.
 * The emitter stays injected: it is what makes the channel, and its producer, exist.
 */
@ApplicationScoped
public class Announcer implements CatalogWriter.Announcer {
  /** The channel of image announcements. */
  static final String IMAGES_CHANNEL = "images-out";

  private final MutinyEmitter<Record<String, DatasetDefined>> datasets;
  private final KafkaClientService clients;
  private final String imagesTopic;
  private volatile Producer<String, ImageIngested> imagesProducer;

  public Announcer(
      @Channel(IMAGES_CHANNEL) MutinyEmitter<Record<String, ImageIngested>> images,
      @Channel("datasets-out") MutinyEmitter<Record<String, DatasetDefined>> datasets,
      KafkaClientService clients,
      @ConfigProperty(name = "mp.messaging.outgoing.images-out.topic") String imagesTopic) {
    this.datasets = datasets;
    this.clients = clients;
    this.imagesTopic = imagesTopic;
  }

  @Override
  public CompletionStage<Void> image(ImageIngested event) {
    return Acked.send(
        imagesProducer(), new ProducerRecord<>(imagesTopic, event.getImageId(), event));
  }

  private Producer<String, ImageIngested> imagesProducer() {
    Producer<String, ImageIngested> producer = imagesProducer;
    if (producer == null) {
      producer = clients.<String, ImageIngested>getProducer(IMAGES_CHANNEL).unwrap();
      imagesProducer = producer;
    }
    return producer;
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
