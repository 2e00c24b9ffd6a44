package io.alfer.label.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.kit.health.ReadinessPart;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.contract.ContractJson;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.result.ResultProcessor;
import io.alfer.label.task.SelectionProcessor;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.LabelAssigned;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Owns the {@link Ledger} and rebuilds it from the topics at every start (see {@code
 * adr/0001-task-state.md}). First the record of what was decided — alfer.datasets,
 * alfer.label-tasks, alfer.labels and the dead-letter topics of selections and results — is
 * replayed to its end; then the inputs, alfer.selections and alfer.label-results, are read from
 * their beginning and followed. Replaying an input re-derives the same decisions; what was already
 * written (a task, a label, a dead letter) is recognised and not written again.
 */
@ApplicationScoped
public class LabelState implements ReadinessPart {
  private static final Logger LOG = Logger.getLogger(LabelState.class);

  private final Map<String, Object> kafkaConfig;
  private final LabelConfig config;
  private final SelectionProcessor selections;
  private final ResultProcessor results;
  private Life life;

  /** One run of the state: a ledger and the followers feeding it. */
  private final class Life {
    final Ledger ledger =
        new Ledger(
            new Ledger.ConsensusSettings(
                config.dawidSkene().minHistory(), config.dawidSkene().refitEvery()));
    final TopicFollower record;
    final Thread starter;
    volatile TopicFollower inputs;
    volatile boolean stopped;

    Life() {
      record =
          TopicFollower.startNamed(
              kafkaConfig,
              List.of(
                  Topic.DATASETS.topicName(),
                  Topic.LABEL_TASKS.topicName(),
                  Topic.LABELS.topicName(),
                  Topic.SELECTIONS.dlqName(),
                  Topic.LABEL_RESULTS.dlqName()),
              r -> applyRecord(ledger, r));
      starter = new Thread(this::startInputs, "label-state-start");
      starter.setDaemon(true);
      starter.start();
    }

    void startInputs() {
      try {
        while (!stopped && !record.awaitCaughtUp(Duration.ofSeconds(1))) {
          LOG.debug("waiting for the replay of tasks, labels and dead letters");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      synchronized (this) {
        if (!stopped) {
          inputs =
              TopicFollower.startNamed(
                  kafkaConfig,
                  List.of(Topic.SELECTIONS.topicName(), Topic.LABEL_RESULTS.topicName()),
                  r -> applyInput(ledger, r));
        }
      }
    }

    boolean ready() {
      TopicFollower in = inputs;
      return record.caughtUp() && in != null && in.caughtUp();
    }

    void stop() {
      synchronized (this) {
        stopped = true;
      }
      starter.interrupt();
      TopicFollower in = inputs;
      if (in != null) {
        in.close();
      }
      record.close();
    }
  }

  public LabelState(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      LabelConfig config,
      SelectionProcessor selections,
      ResultProcessor results) {
    this.kafkaConfig = kafkaConfig;
    this.config = config;
    this.selections = selections;
    this.results = results;
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts a fresh ledger and its replay; a running one is stopped first. */
  public synchronized void start() {
    stop();
    life = new Life();
  }

  /** Stops following the topics and drops the ledger (what a crash loses). */
  public synchronized void stop() {
    if (life != null) {
      life.stop();
      life = null;
    }
  }

  /** Whether the replay has caught up: decisions made now are made on complete state. */
  public synchronized boolean ready() {
    return life != null && life.ready();
  }

  /**
   * Waits (bounded) until the replay has caught up; returns whether it did. For tools and tests
   * that must not act on partial state.
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    Life l;
    synchronized (this) {
      l = life;
    }
    if (l == null) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!l.record.awaitCaughtUp(timeout)) {
      return false;
    }
    l.starter.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    TopicFollower in = l.inputs;
    return in != null
        && in.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /** The current ledger. */
  public synchronized Ledger ledger() {
    if (life == null) {
      throw new IllegalStateException("the label state is stopped");
    }
    return life.ledger;
  }

  private void applyRecord(Ledger ledger, ConsumerRecord<String, byte[]> r) {
    String topic = r.topic();
    if (topic.endsWith(Topic.DLQ_SUFFIX)) {
      String source = header(r, Publisher.DLQ_TOPIC);
      String partition = header(r, Publisher.DLQ_PARTITION);
      String offset = header(r, Publisher.DLQ_OFFSET);
      if (source != null && partition != null && offset != null) {
        ledger.recordDeadLettered(source, Integer.parseInt(partition), Long.parseLong(offset));
      }
      return;
    }
    if (r.value() == null) {
      return;
    }
    try {
      if (topic.equals(Topic.DATASETS.topicName())) {
        DatasetDefined d = DatasetDefined.parseFrom(r.value());
        ledger.defineDataset(d.getDataset(), d.getTaxonomy().getClassesList());
      } else if (topic.equals(Topic.LABEL_TASKS.topicName())) {
        ledger.recordTask(ContractJson.parseTask(r.value()));
      } else if (topic.equals(Topic.LABELS.topicName())) {
        ledger.recordLabel(LabelAssigned.parseFrom(r.value()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("undecodable record on " + topic, e);
    }
  }

  private void applyInput(Ledger ledger, ConsumerRecord<String, byte[]> r) {
    if (r.topic().equals(Topic.SELECTIONS.topicName())) {
      selections.onSelection(ledger, r);
    } else {
      results.onResult(ledger, r);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public String readinessName() {
    return "state";
  }
}
