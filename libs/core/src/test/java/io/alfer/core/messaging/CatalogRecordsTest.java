package io.alfer.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CatalogRecordsTest {
  private final List<String> seen = new ArrayList<>();
  private final CatalogRecords.Catalog catalog =
      new CatalogRecords.Catalog() {
        @Override
        public void define(DatasetDefined dataset) {
          seen.add("dataset " + dataset.getDataset());
        }

        @Override
        public void record(ImageIngested image) {
          seen.add("image " + image.getImageId());
        }
      };

  @Test
  void datasetsAndImagesReachTheCatalogAndTombstonesAreSkipped() {
    CatalogRecords.apply(
        record(Topic.DATASETS, DatasetDefined.newBuilder().setDataset("fer").build().toByteArray()),
        catalog);
    CatalogRecords.apply(
        record(Topic.IMAGES, ImageIngested.newBuilder().setImageId("i-1").build().toByteArray()),
        catalog);
    CatalogRecords.apply(record(Topic.IMAGES, null), catalog);

    assertThat(seen).containsExactly("dataset fer", "image i-1");
  }

  @Test
  void anUndecodableRecordOrAnotherTopicIsRefusedByName() {
    assertThatThrownBy(() -> CatalogRecords.apply(record(Topic.DATASETS, new byte[] {-1}), catalog))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alfer.datasets");
    assertThatThrownBy(() -> CatalogRecords.apply(record(Topic.MODELS, new byte[0]), catalog))
        .hasMessageContaining("not a catalog topic");
  }

  private static ConsumerRecord<String, byte[]> record(Topic topic, byte[] value) {
    return new ConsumerRecord<>(topic.topicName(), 0, 0, "k", value);
  }
}
