package io.alfer.label;

import static io.alfer.label.Fixtures.answer;
import static io.alfer.label.Fixtures.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.core.messaging.Topic;
import io.alfer.label.state.LabelState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelTask;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The label service loses its state in the middle of a round (its ledger is dropped, as a crash
 * would) while vendors keep answering; started again, it rebuilds the state from the topics and the
 * round completes: every image ends with exactly one label and nothing is counted twice.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class RestartMidRoundTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final int IMAGES = 12;

  @Inject LabelState state;

  @Test
  void aRestartMidRoundLosesNoLabelAndCountsNoneTwice() throws Exception {
    Fixtures.defineDataset();
    assertThat(state.awaitReady(WAIT)).isTrue();
    String campaign = "c-restart";
    List<String> images = IntStream.range(0, IMAGES).mapToObj(i -> "rs-" + i).toList();
    Map<String, Long> before = answered();

    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      Fixtures.select(campaign, 2, images, List.of("acme", "globex"), 2);
      List<LabelTask> tasks =
          taskProbe
              .await(r -> Fixtures.task(r).getCampaignId().equals(campaign), 2 * IMAGES, WAIT)
              .stream()
              .map(Fixtures::task)
              .toList();
      List<LabelTask> slot0 = tasks.stream().filter(t -> t.getSlot() == 0).toList();
      List<LabelTask> slot1 = tasks.stream().filter(t -> t.getSlot() == 1).toList();

      // First life: every slot 0 and the first half of slot 1 answered -> half the images labelled.
      slot0.forEach(t -> answer(t.getTaskId(), t.getVendor(), "a0", "happy"));
      slot1
          .subList(0, IMAGES / 2)
          .forEach(t -> answer(t.getTaskId(), t.getVendor(), "a1", "happy"));
      labelProbe.await(r -> r.key().startsWith(campaign + "/"), IMAGES / 2, WAIT);

      // Crash: the state is gone; vendors go on answering meanwhile.
      state.stop();
      slot1
          .subList(IMAGES / 2, IMAGES - 2)
          .forEach(t -> answer(t.getTaskId(), t.getVendor(), "a1", "sad"));

      // Second life: replayed from the topics; the last answers arrive after the restart.
      state.start();
      assertThat(state.awaitReady(WAIT)).isTrue();
      slot1
          .subList(IMAGES - 2, IMAGES)
          .forEach(t -> answer(t.getTaskId(), t.getVendor(), "a1", "sad"));

      labelProbe.await(r -> r.key().startsWith(campaign + "/"), IMAGES, WAIT);
      // A marker after everything: once its label is read, any duplicate would have been too.
      Fixtures.select(campaign + "-marker", 0, List.of("marker"), List.of("acme"), 1);
      LabelTask marker =
          Fixtures.task(
              taskProbe
                  .await(
                      r -> Fixtures.task(r).getCampaignId().equals(campaign + "-marker"), 1, WAIT)
                  .get(0));
      answer(marker.getTaskId(), "acme", "m", "calm");
      labelProbe.await(r -> r.key().startsWith(campaign + "-marker/"), 1, WAIT);

      List<ReceivedRecord> labels =
          labelProbe.received().stream().filter(r -> r.key().startsWith(campaign + "/")).toList();
      Map<String, Long> perImage =
          labels.stream()
              .collect(Collectors.groupingBy(ReceivedRecord::key, Collectors.counting()));
      assertThat(perImage).hasSize(IMAGES).allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
      assertThat(labels.stream().map(Fixtures::label).map(LabelAssigned::getAnnotations))
          .containsOnly(2);
    }

    // Counted once: 2 answers per image, spread evenly over the two vendors.
    Map<String, Long> after = answered();
    assertThat(after.get("acme") - before.getOrDefault("acme", 0L)).isEqualTo(IMAGES + 1);
    assertThat(after.get("globex") - before.getOrDefault("globex", 0L)).isEqualTo(IMAGES);
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  private static Map<String, Long> answered() {
    List<Map<String, Object>> stats =
        given().when().get("/vendors").then().statusCode(200).extract().jsonPath().getList("");
    return stats.stream()
        .collect(
            Collectors.toMap(
                s -> (String) s.get("vendor"), s -> ((Number) s.get("answered")).longValue()));
  }
}
