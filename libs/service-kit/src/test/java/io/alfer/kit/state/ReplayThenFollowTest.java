package io.alfer.kit.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alfer.core.messaging.TopicFollower;
import io.alfer.kit.state.ReplayThenFollow.Phase;
import io.alfer.kit.state.ReplayThenFollow.Plan;
import io.alfer.testkit.EmbeddedKafka;
import io.alfer.testkit.RawProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two-phase replay on a real broker: order, readiness, following, refusals, restart. */
class ReplayThenFollowTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final EmbeddedKafka kafka = EmbeddedKafka.shared();
  private final Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers());
  private String record;
  private String inputs;

  @BeforeEach
  void topics() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    record = "kit-record-" + run;
    inputs = "kit-inputs-" + run;
    try (Admin admin = kafka.admin()) {
      admin
          .createTopics(
              List.of(new NewTopic(record, 2, (short) 1), new NewTopic(inputs, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theFirstPhaseIsCompleteBeforeTheSecondStartsAndReadyComesAfterBoth() throws Exception {
    send(record, "r1", "r2", "r3");
    send(inputs, "i1", "i2");
    List<String> decided = new CopyOnWriteArrayList<>();
    List<Integer> decidedWhenInputsBegan = new CopyOnWriteArrayList<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Integer> seenWhenCaughtUp = new CopyOnWriteArrayList<>();
    CountDownLatch readyHookRan = new CountDownLatch(1);
    List<Boolean> readyInHooks = new CopyOnWriteArrayList<>();
    ReplayThenFollow[] self = new ReplayThenFollow[1];
    Plan plan =
        Plan.of(
                new Phase(List.of(record), r -> decided.add(text(r))),
                new Phase(
                    List.of(inputs),
                    r -> {
                      if (seen.isEmpty()) {
                        decidedWhenInputsBegan.add(decided.size());
                      }
                      seen.add(text(r));
                    }))
            .whenCaughtUp(
                () -> {
                  seenWhenCaughtUp.add(seen.size());
                  readyInHooks.add(self[0].ready());
                })
            .whenReady(
                () -> {
                  readyInHooks.add(self[0].ready());
                  readyHookRan.countDown();
                });
    try (ReplayThenFollow replay = ReplayThenFollow.start("test", config, plan)) {
      self[0] = replay;
      assertThat(replay.awaitReady(TIMEOUT)).isTrue();
      assertThat(readyHookRan.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(decided).containsExactlyInAnyOrder("r1", "r2", "r3");
      assertThat(decidedWhenInputsBegan).containsExactly(3);
      assertThat(seenWhenCaughtUp).containsExactly(2);
      assertThat(readyInHooks).containsExactly(false, true);

      send(inputs, "i3");
      await("the live input i3 followed").atMost(TIMEOUT).until(() -> seen.size() == 3);
      assertThat(seen).containsExactly("i1", "i2", "i3");
    }
  }

  @Test
  void aRecordItsHandlerRefusesIsCountedAndTheReplayGoesOn() throws Exception {
    send(record, "good", "bad", "good");
    List<String> applied = new CopyOnWriteArrayList<>();
    Plan plan =
        Plan.of(
            new Phase(
                List.of(record),
                r -> {
                  if (text(r).equals("bad")) {
                    throw new IllegalArgumentException("bad record");
                  }
                  applied.add(text(r));
                }));
    try (ReplayThenFollow replay = ReplayThenFollow.start("test", config, plan)) {
      assertThat(replay.awaitReady(TIMEOUT)).isTrue();
      assertThat(applied).containsExactly("good", "good");
      assertThat(replay.failures()).isEqualTo(1);
    }
  }

  @Test
  void aRecordItsHandlerCannotTakeYetIsHandedOverAgainAndTheRecordsAfterItWait() throws Exception {
    send(inputs, "a", "wait", "b");
    AtomicBoolean available = new AtomicBoolean();
    AtomicInteger attempts = new AtomicInteger();
    List<String> applied = new CopyOnWriteArrayList<>();
    Plan plan =
        Plan.of(
            new Phase(
                List.of(inputs),
                r -> {
                  if (text(r).equals("wait") && !available.get()) {
                    attempts.incrementAndGet();
                    throw new TopicFollower.RetryLater("storage is down", null);
                  }
                  applied.add(text(r));
                }));
    try (ReplayThenFollow replay = ReplayThenFollow.start("test", config, plan)) {
      await("the record handed over again").atMost(TIMEOUT).until(() -> attempts.get() >= 2);
      assertThat(applied).containsExactly("a");
      assertThat(replay.ready()).as("not caught up while a record waits").isFalse();

      available.set(true);
      assertThat(replay.awaitReady(TIMEOUT)).isTrue();
      assertThat(applied).containsExactly("a", "wait", "b");
      assertThat(replay.failures()).isZero();
    }
  }

  @Test
  void aStoppedReplayIsNeverReadyAndRunsNoHook() throws Exception {
    List<String> hooks = new CopyOnWriteArrayList<>();
    Plan plan =
        Plan.of(new Phase(List.of("kit-missing-" + UUID.randomUUID()), r -> {}))
            .whenCaughtUp(() -> hooks.add("caught up"))
            .whenReady(() -> hooks.add("ready"));
    ReplayThenFollow replay = ReplayThenFollow.start("test", config, plan);
    replay.close();
    assertThat(replay.awaitReady(Duration.ofMillis(200))).isFalse();
    assertThat(hooks).isEmpty();
  }

  @Test
  void aRestartedStateIsRebuiltFromNothing() throws Exception {
    send(record, "a", "b");
    Counted state = new Counted(record);
    state.connection(config);
    state.start();
    assertThat(state.awaitReady(TIMEOUT)).isTrue();
    List<String> first = state.readyState();
    assertThat(first).containsExactlyInAnyOrder("a", "b");
    state.stop();
    assertThat(state.ready()).isFalse();
    assertThat(state.readyState()).isNull();
    send(record, "c");
    state.start();
    assertThat(state.awaitReady(TIMEOUT)).isTrue();
    assertThat(state.readyState()).isNotSameAs(first).containsExactlyInAnyOrder("a", "b", "c");
    state.stop();
  }

  /** A state that lists the values of one topic. */
  private static final class Counted extends ReplayedState<List<String>> {
    private final String topic;

    Counted(String topic) {
      this.topic = topic;
    }

    @Override
    protected List<String> newState() {
      return new CopyOnWriteArrayList<>();
    }

    @Override
    protected Plan plan(List<String> state) {
      return Plan.of(new Phase(List.of(topic), r -> state.add(text(r))));
    }
  }

  private void send(String topic, String... values) {
    try (RawProducer producer = new RawProducer(kafka.bootstrapServers())) {
      for (String v : values) {
        producer.send(topic, v, v.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static String text(ConsumerRecord<String, byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }
}
