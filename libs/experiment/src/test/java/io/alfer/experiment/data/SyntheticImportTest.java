package io.alfer.experiment.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.CatalogRecords;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.testkit.EmbeddedKafka;
import io.alfer.testkit.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The synthetic import writes through the one catalog write path: the definition stored and
 * announced, every announced image's PNG stored, the records as ingest would write them.
 */
class SyntheticImportTest {
  private final String bootstrap = EmbeddedKafka.shared().bootstrapServers();
  private final ObjectStore objects = S3ProxyServer.shared().objectStore();

  @Test
  void everyAnnouncedImageIsStoredAndTheDefinitionComesFirst() {
    String dataset = "synthetic-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> lines = new ArrayList<>();

    int imported = new SyntheticImport(bootstrap, objects).importInto(dataset, 30, 7L, lines::add);

    assertThat(imported).isBetween(1, 30);
    assertThat(lines).last().asString().contains(imported + " distinct images");
    String json =
        new String(objects.get(StorageLayout.datasetDefinition(dataset)), StandardCharsets.UTF_8);
    assertThat(json).contains("\"dataset\": \"" + dataset + "\"").contains("\"happy\"");

    List<DatasetDefined> definitions = new ArrayList<>();
    List<ImageIngested> images = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readAll()) {
      CatalogRecords.apply(
          r,
          new CatalogRecords.Catalog() {
            @Override
            public void define(DatasetDefined d) {
              if (d.getDataset().equals(dataset)) {
                definitions.add(d);
              }
            }

            @Override
            public void record(ImageIngested i) {
              if (i.getDataset().equals(dataset)) {
                images.add(i);
              }
            }
          });
    }
    assertThat(definitions).hasSize(1);
    assertThat(definitions.get(0).getTaxonomy().getClassesList()).hasSize(7);
    assertThat(definitions.get(0).getOrigin().getService()).isEqualTo("experiment");
    assertThat(images).hasSize(imported);
    for (ImageIngested image : images) {
      assertThat(image.getCanonical().getKey())
          .isEqualTo(StorageLayout.canonicalImage(dataset, image.getImageId()));
      assertThat(objects.get(image.getCanonical().getKey())).isNotEmpty();
      assertThat(image.getOriginal()).isEqualTo(image.getCanonical());
      assertThat(image.getSourceFormat()).isEqualTo("raw-gray");
      assertThat(image.getLabel()).isBetween(0, 6);
    }
  }

  private List<ConsumerRecord<String, byte[]>> readAll() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic topic : CatalogRecords.TOPICS) {
        consumer
            .partitionsFor(topic.topicName(), Duration.ofSeconds(30))
            .forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }
}
