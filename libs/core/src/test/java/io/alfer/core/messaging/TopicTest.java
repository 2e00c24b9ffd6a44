package io.alfer.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.Split;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TopicTest {

  @Test
  void topicNamesAreUniqueAndPrefixed() {
    Set<String> names =
        Arrays.stream(Topic.values()).map(Topic::topicName).collect(Collectors.toSet());
    assertThat(names).hasSize(Topic.values().length).allMatch(n -> n.startsWith("alfer."));
    assertThat(Topic.byName("alfer.images")).contains(Topic.IMAGES);
    assertThat(Topic.IMAGES.dlqName()).isEqualTo("alfer.images.dlq");
  }

  @Test
  void catalogTopicsAreCompacted() {
    assertThat(
            Arrays.stream(Topic.values()).filter(Topic::compacted).map(Topic::topicName).toList())
        .containsExactlyInAnyOrder(
            "alfer.images", "alfer.datasets", "alfer.models", "alfer.labels", "alfer.campaigns");
  }

  @Test
  void protobufRoundTripThroughTheTopicsType() {
    ImageIngested event =
        ImageIngested.newBuilder()
            .setImageId("abc")
            .setDataset("fer")
            .setSplit(Split.SPLIT_POOL)
            .setLabel(3)
            .build();
    byte[] bytes = new ProtobufSerializer().serialize("alfer.images", event);
    assertThat(new ProtobufDeserializer().deserialize("alfer.images", bytes)).isEqualTo(event);
  }

  @Test
  void garbageIsASerializationErrorNamingTheTopic() {
    ProtobufDeserializer deserializer = new ProtobufDeserializer();
    deserializer.configure(Map.of(), false);
    assertThatThrownBy(
            () -> deserializer.deserialize("alfer.images", new byte[] {(byte) 0xff, 0x01, 0x02}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("alfer.images");
    assertThatThrownBy(() -> deserializer.deserialize("other", new byte[] {1}))
        .hasMessageContaining("not an alfer topic");
  }
}
