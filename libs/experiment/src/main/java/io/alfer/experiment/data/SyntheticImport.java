package io.alfer.experiment.data;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Generates the synthetic FER set and imports it straight into alfer's storage, as the ingest
 * service would store a FER2013 CSV of it: the definition ({@code datasets/<name>/dataset.json} and
 * {@code alfer.datasets}), each image's canonical PNG ({@code images/<name>/<id>.png}) and its
 * announcement on {@code alfer.images}, keyed by the content-derived id. An image is announced only
 * after its PNG is stored; images whose content repeats are stored once. It serves a fresh machine
 * without the ingest service running; the result is indistinguishable to the other services.
 */
public final class SyntheticImport {
  private static final long ACK_TIMEOUT_SECONDS = 60;
  private static final int PROGRESS_EVERY = 2000;

  private final String bootstrapServers;
  private final ObjectStore objects;

  public SyntheticImport(String bootstrapServers, ObjectStore objects) {
    this.bootstrapServers = bootstrapServers;
    this.objects = objects;
  }

  /**
   * Generates {@code count} faces from {@code seed} into dataset {@code dataset} (FER7 classes,
   * 48×48, FER2013's pool/test usage split).
   *
   * @param progress receives a line every few thousand images
   * @return the number of distinct images stored and announced
   */
  public int importInto(String dataset, int count, long seed, Consumer<String> progress) {
    if (count < 1) {
      throw new IllegalArgumentException("need at least one synthetic image, got " + count);
    }
    objects.ensureBucket();
    ImageNormalizer normalizer =
        new ImageNormalizer(SyntheticFer.SIZE, ImageNormalizer.DEFAULT_MAX_PIXELS);
    SyntheticFer generator = new SyntheticFer(seed);
    Set<String> seen = new HashSet<>();
    List<Future<RecordMetadata>> pending = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      DatasetDefined definition = definition(dataset);
      objects.put(
          StorageLayout.datasetDefinition(dataset),
          json(definition).getBytes(StandardCharsets.UTF_8),
          "application/json");
      await(
          List.of(
              producer.send(
                  new ProducerRecord<>(
                      Topic.DATASETS.topicName(), dataset, definition.toByteArray()))));
      for (int i = 0; i < count; i++) {
        Sample sample = generator.sample(i);
        NormalizedImage image =
            normalizer.normalizeGrayPixels(
                sample.pixels(), SyntheticFer.SIZE, SyntheticFer.SIZE, "synthetic-fer");
        if (!seen.add(image.id())) {
          continue;
        }
        ObjectRef canonical =
            objects.put(
                StorageLayout.canonicalImage(dataset, image.id()), image.png(), "image/png");
        ImageIngested event =
            ImageIngested.newBuilder()
                .setImageId(image.id())
                .setDataset(dataset)
                .setSplit(sample.split())
                .setLabel(sample.label())
                .setCanonical(canonical)
                .setOriginal(canonical)
                .setWidth(image.width())
                .setHeight(image.height())
                .setSource("synthetic-fer seed " + seed + " #" + i)
                .setSourceFormat("raw-gray")
                .setOrigin(Origins.now("experiment", "alfer-experiment"))
                .build();
        pending.add(
            producer.send(
                new ProducerRecord<>(Topic.IMAGES.topicName(), image.id(), event.toByteArray())));
        if ((i + 1) % PROGRESS_EVERY == 0) {
          await(pending);
          pending.clear();
          progress.accept(
              String.format("synthetic FER: %d/%d images stored and announced", i + 1, count));
        }
      }
      producer.flush();
      await(pending);
    }
    progress.accept(
        String.format(
            "synthetic FER: %d distinct images imported into dataset %s", seen.size(), dataset));
    return seen.size();
  }

  private static DatasetDefined definition(String dataset) {
    return DatasetDefined.newBuilder()
        .setDataset(dataset)
        .setTaxonomy(ClassTaxonomy.FER7.toProto())
        .setWidth(SyntheticFer.SIZE)
        .setHeight(SyntheticFer.SIZE)
        .setLayout("fer2013-csv")
        .setOrigin(Origins.now("experiment", "alfer-experiment"))
        .build();
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static void await(List<Future<RecordMetadata>> sends) {
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while announcing synthetic images", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            "the broker did not acknowledge a synthetic image: " + e.getMessage(), e);
      }
    }
  }

  private static String json(DatasetDefined definition) {
    try {
      return JsonFormat.printer().print(definition);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
