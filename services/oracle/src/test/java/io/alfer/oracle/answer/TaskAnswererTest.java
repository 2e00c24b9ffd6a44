package io.alfer.oracle.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.alfer.core.messaging.Origins;
import io.alfer.oracle.config.OracleConfig;
import io.alfer.oracle.truth.GroundTruth;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.Taxonomy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Vetoed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The delayed answers' writes, without a broker: a write that never completes (the broker down)
 * must hold up no other answer, and every answer carries the moment it was given — the label
 * service checks the deadline against it.
 */
class TaskAnswererTest {
  static final Duration DELAY = Duration.ofMillis(50);

  /** One write as the sender saw it. */
  record Write(LabelResult result, Instant at) {}

  @Test
  void anAnswerWaitingForTheBrokerHoldsUpNoOtherAndEachIsStampedWhenGiven() throws Exception {
    List<Write> writes = new CopyOnWriteArrayList<>();
    ResultSender sender =
        new ResultSender(null) {
          @Override
          public Uni<Void> send(LabelResult result, Instant now) {
            writes.add(new Write(result, now));
            // the first write is never acknowledged; the others are at once
            return writes.size() == 1 ? Uni.createFrom().nothing() : Uni.createFrom().voidItem();
          }
        };
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    TaskAnswerer answerer = new TaskAnswerer(new KnownTruth(), sender, delayed(), metrics);
    try {
      Instant read = Instant.now();
      for (int i = 0; i < 3; i++) {
        answerer.answer(task("t-" + i));
      }
      await("every answer written").atMost(Duration.ofSeconds(10)).until(() -> writes.size() == 3);
      assertThat(writes)
          .extracting(w -> w.result().getTaskId())
          .containsExactlyInAnyOrder("t-0", "t-1", "t-2");
      for (Write w : writes) {
        Instant answered = Origins.instant(w.result().getAnsweredAt());
        assertThat(w.at()).as("record time = answered_at").isEqualTo(answered);
        assertThat(Duration.between(read, answered))
            .as(w.result().getTaskId() + " answered about the delay after it was read")
            .isGreaterThanOrEqualTo(DELAY)
            .isLessThan(Duration.ofSeconds(5));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> answers(metrics) == 2); // the unacknowledged one is not counted
    } finally {
      answerer.onStop(null);
    }
  }

  static double answers(SimpleMeterRegistry metrics) {
    return metrics.find("alfer_oracle_answers_total").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  static byte[] task(String id) throws Exception {
    LabelTask task =
        LabelTask.newBuilder()
            .setTaskId(id)
            .setVendor("oracle")
            .setCampaignId("c")
            .setDataset("d")
            .setImageId("i-" + id)
            .setTaxonomy(Taxonomy.newBuilder().addClasses("calm").addClasses("happy"))
            .build();
    return JsonFormat.printer().print(task).getBytes(StandardCharsets.UTF_8);
  }

  /** Ground truth that knows every image as class 1 (not a bean of the Quarkus tests beside). */
  @Vetoed
  static final class KnownTruth extends GroundTruth {
    @Override
    public OptionalInt label(String dataset, String imageId) {
      return OptionalInt.of(1);
    }

    @Override
    public boolean awaitReady(Duration timeout) {
      return true;
    }
  }

  static OracleConfig delayed() {
    return new OracleConfig() {
      @Override
      public String vendor() {
        return "oracle";
      }

      @Override
      public double errorRate() {
        return 0;
      }

      @Override
      public Duration delay() {
        return DELAY;
      }

      @Override
      public long seed() {
        return 42;
      }

      @Override
      public int annotators() {
        return 3;
      }
    };
  }
}
