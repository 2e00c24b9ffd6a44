package io.alfer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicSetup;
import io.alfer.core.messaging.VendorTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
  private static String bootstrap;

  @BeforeAll
  static void startBroker() {
    bootstrap = EmbeddedKafka.shared().bootstrapServers();
  }

  @Test
  void createsEveryTopicAndDeadLetterTopicWithTheirPolicies() throws Exception {
    try (Admin admin = EmbeddedKafka.shared().admin()) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .containsAll(TopicSetup.names());
      assertThat(
              admin
                  .describeTopics(List.of(Topic.IMAGES.topicName()))
                  .allTopicNames()
                  .get(30, TimeUnit.SECONDS)
                  .get(Topic.IMAGES.topicName())
                  .partitions())
          .hasSize(TopicSetup.PARTITIONS);
      assertThat(cleanupPolicy(admin, Topic.IMAGES.topicName()))
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
      assertThat(cleanupPolicy(admin, Topic.IMAGES.dlqName()))
          .isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
      assertThat(cleanupPolicy(admin, Topic.SELECTIONS.topicName()))
          .isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
    }
  }

  @Test
  void recordsGoThroughWithKeyValueAndHeaders() {
    String topic = VendorTopics.tasks("acme"); // a test vendor's topic, made with alfer's
    String key = "task-" + UUID.randomUUID();
    byte[] value = "{\"taskId\":1}".getBytes(StandardCharsets.UTF_8);
    try (TopicProbe probe = TopicProbe.fromNow(bootstrap, topic);
        RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(topic, key, value, Map.of("ce_type", "io.alfer.label.task.v2"));

      ReceivedRecord record =
          probe.await(r -> key.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);

      assertThat(record.value()).isEqualTo(value);
      assertThat(record.valueAsString()).isEqualTo("{\"taskId\":1}");
      assertThat(record.header("ce_type")).isEqualTo("io.alfer.label.task.v2");
      assertThat(record.topic()).isEqualTo(topic);
    }
  }

  @Test
  void probeFromNowIgnoresEarlierRecordsAndFromBeginningSeesThem() {
    String topic = Topic.TRAINING_PROGRESS.topicName();
    String early = "early-" + UUID.randomUUID();
    String late = "late-" + UUID.randomUUID();
    try (RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(topic, early, new byte[] {1});
      try (TopicProbe probe = TopicProbe.fromNow(bootstrap, topic)) {
        producer.send(topic, late, new byte[] {2});
        probe.await(r -> late.equals(r.key()), 1, Duration.ofSeconds(30));
        assertThat(probe.received()).extracting(ReceivedRecord::key).doesNotContain(early);
      }
      try (TopicProbe probe = TopicProbe.fromBeginning(bootstrap, topic)) {
        List<ReceivedRecord> both =
            probe.await(
                r -> early.equals(r.key()) || late.equals(r.key()), 2, Duration.ofSeconds(30));
        assertThat(both).extracting(ReceivedRecord::key).containsExactlyInAnyOrder(early, late);
      }
    }
  }

  @Test
  void awaitFromBeginningReadsWhatIsAlreadyThere() {
    String topic = Topic.SELECTIONS.dlqName();
    try (RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(topic, "first", new byte[] {1});
    }

    List<ReceivedRecord> records =
        TopicProbe.awaitFromBeginning(bootstrap, topic, 1, Duration.ofSeconds(30));

    assertThat(records).hasSize(1);
    assertThat(records.get(0).value()).containsExactly(1);
  }

  @Test
  void awaitFailsNamingTheTopicWhenRecordsDoNotCome() {
    try (TopicProbe probe = TopicProbe.fromNow(bootstrap, Topic.MODELS.dlqName())) {
      assertThatThrownBy(() -> probe.await(1, Duration.ofMillis(500)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("expected 1 matching records on alfer.models.dlq")
          .hasMessageContaining("got 0");
    }
  }

  @Test
  void externalClusterIsUsedAsIsAndTopicsAreEnsured() {
    try (EmbeddedKafka external =
        new EmbeddedKafka(Map.of(EmbeddedKafka.EXTERNAL_BOOTSTRAP_ENV, bootstrap))) {
      assertThat(external.start()).isEqualTo(bootstrap);
      assertThat(external.external()).isTrue();
    }
    // closing the external view leaves the broker running
    try (RawProducer producer = new RawProducer(bootstrap)) {
      assertThat(producer.send(Topic.EMBEDDINGS.topicName(), "k", new byte[] {7}).offset())
          .isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void kafkaTestResourceHandsTheSharedBrokerToQuarkus() {
    Map<String, String> config = new KafkaTestResource().start();

    assertThat(config)
        .containsEntry("kafka.bootstrap.servers", bootstrap)
        .containsEntry("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap);
    assertThat(KafkaTestResource.bootstrapServers()).isEqualTo(bootstrap);
    // what another class loader's shared() finds and reuses
    assertThat(System.getProperty(EmbeddedKafka.SHARED_PROPERTY)).isEqualTo(bootstrap);
  }

  private static String cleanupPolicy(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config =
        admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
  }
}
