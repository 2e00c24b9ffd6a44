package io.alfer.label;

import static io.alfer.label.Fixtures.answer;
import static io.alfer.label.Fixtures.bootstrap;
import static io.alfer.label.Fixtures.select;
import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.state.LabelState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.UnansweredPolicy;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A vendor that never answers does not hold a round forever: when every issue of an image's slots
 * expired, the image's outcome is announced as UNANSWERED (skip), or the slot first goes to the
 * selection's next vendor (reassign), with that vendor's own task lifetime. Time moves by shifting
 * the service's clock past each deadline (the test profile's task TTL is one hour, globex's three
 * hours; the expiry scan runs every 0.2 s).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class UnansweredTest {
  private static final Duration WAIT = LabelServiceTest.WAIT;

  private static final Duration ONE_HOUR = Duration.ofHours(1);
  private static final Duration SLACK = Duration.ofSeconds(30);

  @Inject LabelState state;
  @Inject LabelConfig config;
  @Inject MutableClock clock;

  @BeforeEach
  void datasetAndReplay() throws Exception {
    Fixtures.defineDataset();
    assertThat(state.awaitReady(WAIT)).isTrue();
  }

  @AfterEach
  void realTime() {
    clock.shift(Duration.ZERO);
  }

  @Test
  void aSlotNoVendorAnswersEndsUnansweredAndTheImageCanBeTaskedAgainLater() {
    String campaign = "c-silent";
    try (TopicProbe tasks = Fixtures.taskProbe();
        TopicProbe labels = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(campaign, 1, List.of("s-1", "s-2"), List.of("acme"), 1);
      List<LabelTask> first = LabelServiceTest.tasks(tasks, campaign, 2);
      LabelTask answered =
          first.stream().filter(t -> t.getImageId().equals("s-2")).findFirst().orElseThrow();
      answer(answered.getTaskId(), "acme", "a", "happy");

      // attempts 1 and 2 of s-1 are re-issues to the same vendor; then the slot is given up
      for (int attempt = 1; attempt <= 2; attempt++) {
        clock.shift(Duration.ofHours(2L * attempt));
        LabelTask reissue = LabelServiceTest.tasks(tasks, campaign, 2 + attempt).get(1 + attempt);
        assertThat(reissue.getImageId()).isEqualTo("s-1");
        assertThat(reissue.getAttempt()).isEqualTo(attempt);
        assertThat(reissue.getVendor()).isEqualTo("acme");
      }
      clock.shift(Duration.ofHours(6));
      List<LabelAssigned> outcomes = LabelServiceTest.labels(labels, campaign, 2);
      LabelAssigned silent =
          outcomes.stream().filter(l -> l.getImageId().equals("s-1")).findFirst().orElseThrow();
      assertThat(silent.getOutcome()).isEqualTo(LabelOutcome.LABEL_OUTCOME_UNANSWERED);
      assertThat(silent.getLabel()).isEqualTo(-1);
      assertThat(silent.getRound()).isEqualTo(1);
      assertThat(silent.getAnnotations()).isZero();
      LabelAssigned happy =
          outcomes.stream().filter(l -> l.getImageId().equals("s-2")).findFirst().orElseThrow();
      assertThat(happy.getOutcome()).isEqualTo(LabelOutcome.LABEL_OUTCOME_LABELLED);
      assertThat(happy.getLabelName()).isEqualTo("happy");

      // back in the pool, s-1 is selected again in round 3 and gets a fresh task; s-2 does not
      select(campaign, 3, List.of("s-1", "s-2"), List.of("acme"), 1);
      LabelTask again = LabelServiceTest.tasks(tasks, campaign, 5).get(4);
      assertThat(again.getImageId()).isEqualTo("s-1");
      assertThat(again.getRound()).isEqualTo(3);
      assertThat(again.getAttempt()).isZero();
      answer(again.getTaskId(), "acme", "a", "sad");
      LabelAssigned relabelled =
          labels
              .await(
                  r ->
                      r.key().equals(campaign + "/s-1")
                          && Fixtures.label(r).getOutcome() == LabelOutcome.LABEL_OUTCOME_LABELLED,
                  1,
                  WAIT)
              .stream()
              .map(Fixtures::label)
              .findFirst()
              .orElseThrow();
      assertThat(relabelled.getRound()).isEqualTo(3);
      assertThat(relabelled.getLabelName()).isEqualTo("sad");
    }
  }

  /** A task's deadline less the moment it was issued (its image URL is signed then). */
  Duration lifetime(LabelTask task) {
    Instant issued = Origins.instant(task.getUrlExpiresAt()).minus(config.urlTtl());
    return Duration.between(issued, Origins.instant(task.getDeadline()));
  }

  @Test
  void withReassignASilentVendorsSlotGoesToTheNextVendorFirst() {
    String campaign = "c-reassign";
    try (TopicProbe tasks = Fixtures.taskProbe();
        TopicProbe labels = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(
          campaign,
          0,
          List.of("r-1"),
          List.of("acme", "globex"),
          1,
          UnansweredPolicy.UNANSWERED_POLICY_REASSIGN);
      LabelTask first = LabelServiceTest.tasks(tasks, campaign, 1).get(0);
      assertThat(first.getVendor()).isEqualTo("acme");
      assertThat(lifetime(first)).as("acme: alfer.label.task-ttl").isCloseTo(ONE_HOUR, SLACK);
      for (int attempt = 1; attempt <= 2; attempt++) {
        clock.shift(Duration.ofHours(2L * attempt));
        LabelServiceTest.tasks(tasks, campaign, 1 + attempt);
      }
      clock.shift(Duration.ofHours(6));
      LabelTask moved = LabelServiceTest.tasks(tasks, campaign, 4).get(3);
      assertThat(moved.getVendor()).isEqualTo("globex");
      assertThat(moved.getAttempt()).isEqualTo(3);
      assertThat(moved.getSlot()).isZero();
      assertThat(lifetime(moved))
          .as("globex: its own task-ttl")
          .isCloseTo(Duration.ofHours(3), SLACK);

      clock.shift(Duration.ofHours(6));
      answer(moved.getTaskId(), "globex", "g", "calm");
      LabelAssigned label = LabelServiceTest.labels(labels, campaign, 1).get(0);
      assertThat(label.getOutcome()).isEqualTo(LabelOutcome.LABEL_OUTCOME_LABELLED);
      assertThat(label.getLabelName()).isEqualTo("calm");
    }
  }
}
