package io.alfer.label;

import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.label.contract.ContractJson;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.proto.v1.UnansweredPolicy;
import io.alfer.testkit.EmbeddedKafka;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Messages the tests write, as the select service and vendors would. */
final class Fixtures {
  static final String DATASET = "label-test";
  static final List<String> CLASSES = List.of("calm", "happy", "sad");

  private Fixtures() {}

  static String bootstrap() {
    return KafkaTestResource.bootstrapServers();
  }

  static void defineDataset() {
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(
          Topic.DATASETS.topicName(),
          DATASET,
          DatasetDefined.newBuilder()
              .setDataset(DATASET)
              .setTaxonomy(Taxonomy.newBuilder().addAllClasses(CLASSES))
              .setWidth(48)
              .setHeight(48)
              .build()
              .toByteArray());
    }
  }

  static void select(
      String campaign, int round, List<String> images, List<String> vendors, int annotations) {
    select(campaign, round, images, vendors, annotations, UnansweredPolicy.UNANSWERED_POLICY_SKIP);
  }

  static void select(
      String campaign,
      int round,
      List<String> images,
      List<String> vendors,
      int annotations,
      UnansweredPolicy onUnanswered) {
    SelectionMade.Builder s =
        SelectionMade.newBuilder()
            .setCampaignId(campaign)
            .setRound(round)
            .setDataset(DATASET)
            .addAllVendors(vendors)
            .setAnnotationsPerImage(annotations)
            .setOnUnanswered(onUnanswered);
    images.forEach(i -> s.addImages(SelectedImage.newBuilder().setImageId(i).setScore(1)));
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(Topic.SELECTIONS.topicName(), campaign, s.build().toByteArray());
    }
  }

  /** Sends a result over Kafka as a vendor would: JSON with CloudEvents headers, on its topic. */
  static void answer(String taskId, String vendor, String annotator, String label) {
    LabelResult r =
        LabelResult.newBuilder()
            .setTaskId(taskId)
            .setVendor(vendor)
            .setAnnotator(annotator)
            .setLabel(label)
            .setConfidence(0.9f)
            .build();
    sendRaw(vendor, taskId, ContractJson.result(r).getBytes(StandardCharsets.UTF_8));
  }

  /** Answers every task with {@code label}, as its vendor would, all at once. */
  static void answerAll(List<LabelTask> tasks, String label) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (LabelTask t : tasks) {
        LabelResult r = LabelResult.newBuilder().setTaskId(t.getTaskId()).setLabel(label).build();
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(
                VendorTopics.results(t.getVendor()),
                t.getTaskId(),
                ContractJson.result(r).getBytes(StandardCharsets.UTF_8));
        CloudEvents.jsonHeaders(
                CloudEvents.LABEL_RESULT_TYPE,
                UUID.randomUUID().toString(),
                "/test/vendors/" + t.getVendor(),
                Instant.now(),
                t.getTaskId())
            .forEach(
                (name, value) ->
                    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /** Sends a value on {@code vendor}'s result topic, with that vendor's CloudEvents headers. */
  static void sendRaw(String vendor, String key, byte[] value) {
    sendRaw(vendor, key, value, "/test/vendors/" + vendor);
  }

  /** Sends a value on {@code vendor}'s result topic with {@code source} as its ce_source. */
  static void sendRaw(String vendor, String key, byte[] value, String source) {
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(
          VendorTopics.results(vendor),
          key,
          value,
          CloudEvents.jsonHeaders(
              CloudEvents.LABEL_RESULT_TYPE,
              UUID.randomUUID().toString(),
              source,
              Instant.now(),
              key));
    }
  }

  /** The test vendors' task topics (the label service's registered vendors in tests). */
  static TopicProbe taskProbe() {
    return probe(VendorTopics::tasks);
  }

  /** The test vendors' result topics. */
  static TopicProbe resultProbe() {
    return probe(VendorTopics::results);
  }

  /** Where the test vendors' refused results go. */
  static TopicProbe refusedResultProbe() {
    return probe(VendorTopics::refusedResults);
  }

  private static TopicProbe probe(Function<String, String> topic) {
    List<String> topics = EmbeddedKafka.TEST_VENDORS.stream().map(topic).toList();
    return TopicProbe.fromNow(
        bootstrap(), topics.get(0), topics.subList(1, topics.size()).toArray(new String[0]));
  }

  static LabelTask task(ReceivedRecord r) {
    return ContractJson.parseTask(r.value());
  }

  static LabelAssigned label(ReceivedRecord r) {
    try {
      return LabelAssigned.parseFrom(r.value());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, String> bearer(String key) {
    return Map.of("Authorization", "Bearer " + key);
  }
}
