package io.alfer.kit.state;

import io.alfer.core.messaging.TopicFollower;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * How a service rebuilds its state from the topics: the topics of the first phase are replayed from
 * their beginning to their end, then (when there is a second phase) its topics are replayed the
 * same way, and both are followed from then on. When everything has caught up {@code whenCaughtUp}
 * runs, and only then is the state {@link #ready()}. The usual first phase is the record of what
 * the service decided (its own outputs, its dead letters), so that replaying the inputs in the
 * second recognises what was already written instead of writing it again.
 */
public final class ReplayThenFollow implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ReplayThenFollow.class);

  /** Topics, by name, and what to do with each of their records (in partition order). */
  public record Phase(List<String> topics, Consumer<ConsumerRecord<String, byte[]>> handler) {
    public Phase {
      topics = List.copyOf(topics);
      if (topics.isEmpty()) {
        throw new IllegalArgumentException("a replay phase needs at least one topic");
      }
    }
  }

  /**
   * The phases that rebuild a state and what runs when they have caught up.
   *
   * @param first replayed to its end before {@code then} starts
   * @param then the second phase, or null for none
   * @param whenCaughtUp runs once every topic has caught up, before the replay is {@link #ready()}
   *     (e.g. to fold what was replayed)
   * @param whenReady runs right after the replay became ready (e.g. to wake a loop)
   */
  public record Plan(Phase first, Phase then, Runnable whenCaughtUp, Runnable whenReady) {
    /** A plan of one phase. */
    public static Plan of(Phase only) {
      return new Plan(only, null, () -> {}, () -> {});
    }

    /** A plan of two phases: {@code first} is replayed to its end before {@code then} starts. */
    public static Plan of(Phase first, Phase then) {
      return new Plan(first, then, () -> {}, () -> {});
    }

    /** This plan, running {@code action} when every topic has caught up (before it is ready). */
    public Plan whenCaughtUp(Runnable action) {
      return new Plan(first, then, action, whenReady);
    }

    /** This plan, running {@code action} right after it became ready. */
    public Plan whenReady(Runnable action) {
      return new Plan(first, then, whenCaughtUp, action);
    }
  }

  private final String name;
  private final Map<String, ?> kafkaConfig;
  private final Plan plan;
  private final TopicFollower first;
  private final Thread starter;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile TopicFollower then;
  private volatile boolean stopped;

  private ReplayThenFollow(String name, Map<String, ?> kafkaConfig, Plan plan) {
    this.name = name;
    this.kafkaConfig = kafkaConfig;
    this.plan = plan;
    this.first =
        TopicFollower.startNamed(kafkaConfig, plan.first().topics(), plan.first().handler());
    this.starter = new Thread(this::proceed, name + "-replay");
    this.starter.setDaemon(true);
  }

  /**
   * Starts {@code plan} with the connection settings of a service's Kafka configuration; its hooks
   * run on the replay's own thread.
   *
   * @param name for the thread and the log, e.g. {@code LabelState}
   */
  public static ReplayThenFollow start(String name, Map<String, ?> kafkaConfig, Plan plan) {
    ReplayThenFollow replay = new ReplayThenFollow(name, kafkaConfig, plan);
    replay.starter.start();
    return replay;
  }

  private void proceed() {
    try {
      awaitCaughtUp(first, "first phase");
      Phase second = plan.then();
      if (second != null) {
        synchronized (this) {
          if (stopped) {
            return;
          }
          then = TopicFollower.startNamed(kafkaConfig, second.topics(), second.handler());
        }
        awaitCaughtUp(then, "second phase");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (stopped) {
      return;
    }
    plan.whenCaughtUp().run();
    ready.countDown();
    LOG.debugf("%s: replay caught up", name);
    plan.whenReady().run();
  }

  private void awaitCaughtUp(TopicFollower follower, String phase) throws InterruptedException {
    while (!stopped && !follower.awaitCaughtUp(Duration.ofSeconds(1))) {
      LOG.debugf("%s: waiting for the replay of the %s", name, phase);
    }
    if (stopped) {
      throw new InterruptedException("stopped");
    }
  }

  /** Whether every topic has caught up and {@code whenCaughtUp} has run. */
  public boolean ready() {
    return ready.getCount() == 0;
  }

  /** Waits (bounded) until {@link #ready()}; returns whether it is. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Records a handler refused, over both phases (they were logged and skipped). */
  public long failures() {
    TopicFollower t = then;
    return first.failures() + (t == null ? 0 : t.failures());
  }

  /** Stops following; what was replayed stays where the handlers put it. */
  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
    }
    starter.interrupt();
    TopicFollower t = then;
    if (t != null) {
      t.close();
    }
    first.close();
  }
}
