package io.alfer.core.messaging;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Replays topics (typically the compacted catalog topics) from their beginning and then keeps
 * following them, handing every record to a callback on one background thread. A service that
 * restarts rebuilds its state this way; {@link #caughtUp()} tells when the replay has reached the
 * end offsets seen at start (readiness). Reads every partition itself (no consumer group), so every
 * instance sees everything. A failing callback is logged and counted, never fatal: the record is
 * skipped. A callback that cannot handle a record <em>yet</em> — a dependency such as object
 * storage does not answer — throws {@link RetryLater}: the record is handed to it again after a
 * pause, and the records after it in its partition wait (other partitions go on).
 */
public final class TopicFollower implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TopicFollower.class.getName());

  /** How long a record whose callback asked to retry waits before it is handed over again. */
  static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

  /**
   * Thrown by a callback that cannot handle a record now but will later (a dependency is down): the
   * follower seeks back to the record and hands it over again after {@link #RETRY_PAUSE}. The
   * callback must not have changed anything for the record before throwing.
   */
  public static final class RetryLater extends RuntimeException {
    public RetryLater(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Properties connection;
  private final List<String> topics;
  private final Consumer<ConsumerRecord<String, byte[]>> handler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final AtomicLong failures = new AtomicLong();
  private final Thread thread;
  private volatile KafkaConsumer<String, byte[]> consumer;

  private TopicFollower(
      Properties connection,
      List<String> topics,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    this.connection = connection;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.thread = new Thread(this::follow, "follow-" + String.join("+", topics));
    this.thread.setDaemon(true);
  }

  /** Starts following {@code topics}; records go to {@code handler} in partition order. */
  public static TopicFollower start(
      String bootstrapServers,
      List<Topic> topics,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    return launch(KafkaConnection.settings(bootstrapServers), topicNames(topics), handler);
  }

  /**
   * Starts following {@code topics} with the connection settings of a service's Kafka configuration
   * (see {@link KafkaConnection#settings(Map)}: bootstrap servers, security protocol, SASL and
   * TLS); records go to {@code handler} in partition order.
   */
  public static TopicFollower start(
      Map<String, ?> kafkaConfig,
      List<Topic> topics,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    return launch(KafkaConnection.settings(kafkaConfig), topicNames(topics), handler);
  }

  /**
   * Starts following topics given by name, e.g. a dead-letter topic ({@link Topic#dlqName()}) that
   * has no {@link Topic} of its own; records go to {@code handler} in partition order.
   */
  public static TopicFollower startNamed(
      String bootstrapServers,
      List<String> topicNames,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    return launch(KafkaConnection.settings(bootstrapServers), topicNames, handler);
  }

  /**
   * Starts following topics given by name with the connection settings of a service's Kafka
   * configuration (see {@link KafkaConnection#settings(Map)}); records go to {@code handler} in
   * partition order.
   */
  public static TopicFollower startNamed(
      Map<String, ?> kafkaConfig,
      List<String> topicNames,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    return launch(KafkaConnection.settings(kafkaConfig), topicNames, handler);
  }

  private static List<String> topicNames(List<Topic> topics) {
    return topics.stream().map(Topic::topicName).toList();
  }

  private static TopicFollower launch(
      Properties connection,
      List<String> topicNames,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    TopicFollower follower = new TopicFollower(connection, topicNames, handler);
    follower.thread.start();
    return follower;
  }

  /** Whether the replay has reached the end offsets the topics had when following began. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  /** Waits (bounded) until the replay has caught up; returns whether it did. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records the handler threw on (logged and skipped). */
  public long failures() {
    return failures.get();
  }

  @Override
  public void close() {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void follow() {
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = newConsumer()) {
        consumer = c;
        replayAndFollow(c);
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!running.get()) {
          return;
        }
        LOG.log(Level.WARNING, "following " + topics + " failed; retrying in 2 s", e);
        try {
          Thread.sleep(2000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void replayAndFollow(KafkaConsumer<String, byte[]> c) {
    List<TopicPartition> partitions =
        topics.stream().flatMap(t -> partitionsOf(c, t).stream()).toList();
    c.assign(partitions);
    c.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = c.endOffsets(partitions);
    while (running.get()) {
      Set<TopicPartition> held = new HashSet<>();
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
        TopicPartition partition = new TopicPartition(r.topic(), r.partition());
        if (held.contains(partition)) {
          continue; // read again after the record that waits
        }
        try {
          handler.accept(r);
        } catch (RetryLater e) {
          held.add(partition);
          c.seek(partition, r.offset());
          LOG.warning(
              "record "
                  + r.topic()
                  + "-"
                  + r.partition()
                  + "@"
                  + r.offset()
                  + " waits: "
                  + e.getMessage()
                  + "; retrying in "
                  + RETRY_PAUSE.toSeconds()
                  + " s");
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          LOG.log(
              Level.WARNING,
              "skipping record " + r.topic() + "-" + r.partition() + "@" + r.offset(),
              e);
        }
      }
      if (!held.isEmpty()) {
        pause();
      }
      if (caughtUp.getCount() > 0
          && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
        caughtUp.countDown();
      }
    }
  }

  /** Waits {@link #RETRY_PAUSE}, or less when the follower is closed meanwhile. */
  private void pause() {
    long until = System.nanoTime() + RETRY_PAUSE.toNanos();
    try {
      while (running.get() && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> c, String topic) {
    List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Properties p = new Properties();
    p.putAll(connection);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
