package io.alfer.label;

import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.Topic;
import io.alfer.label.contract.ContractJson;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.proto.v1.UnansweredPolicy;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

  /** Sends a result over Kafka as a vendor would: JSON with CloudEvents headers. */
  static void answer(String taskId, String vendor, String annotator, String label) {
    LabelResult r =
        LabelResult.newBuilder()
            .setTaskId(taskId)
            .setVendor(vendor)
            .setAnnotator(annotator)
            .setLabel(label)
            .setConfidence(0.9f)
            .build();
    sendRaw(taskId, ContractJson.result(r).getBytes(StandardCharsets.UTF_8));
  }

  static void sendRaw(String key, byte[] value) {
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(
          Topic.LABEL_RESULTS.topicName(),
          key,
          value,
          CloudEvents.jsonHeaders(
              CloudEvents.LABEL_RESULT_TYPE,
              UUID.randomUUID().toString(),
              "/test/vendor",
              Instant.now(),
              key));
    }
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
