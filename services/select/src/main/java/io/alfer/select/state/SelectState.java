package io.alfer.select.state;

import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.kit.health.ReadinessPart;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.CampaignState;
import io.alfer.select.campaign.Campaign;
import io.alfer.select.campaign.CampaignBook;
import io.alfer.select.messaging.Publisher;
import io.alfer.select.messaging.SelectMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Owns the service's {@link Life} and rebuilds it from the topics at every start (see {@code
 * adr/0001-campaign-state.md}): first the dead-letter topics of the inputs are replayed (to know
 * which records this service refused already), then alfer.campaigns and every input topic are
 * replayed from their beginning and followed. When that replay has caught up the campaign events
 * are folded and the state is ready: the loop and the API act only on a ready state.
 */
@ApplicationScoped
public class SelectState implements ReadinessPart {
  private static final Logger LOG = Logger.getLogger(SelectState.class);

  /** Topics whose records feed the state, in the order they are listed to the follower. */
  static final List<String> INPUTS =
      List.of(
          Topic.CAMPAIGNS.topicName(),
          Topic.DATASETS.topicName(),
          Topic.IMAGES.topicName(),
          Topic.MODELS.topicName(),
          Topic.EMBEDDINGS.topicName(),
          Topic.LABELS.topicName(),
          Topic.TRAINING_PROGRESS.topicName(),
          Topic.SELECTIONS.dlqName());

  private final Map<String, Object> kafkaConfig;
  private final InputRecords records;
  private final SelectMetrics metrics;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Run run;

  /** One run: a life and the followers feeding it. */
  private final class Run {
    final Life life = new Life(new CampaignBook(this::applied));
    final TopicFollower deadLetters;
    final Thread starter;
    volatile TopicFollower inputs;
    volatile boolean ready;
    volatile boolean stopped;

    Run() {
      deadLetters =
          TopicFollower.startNamed(
              kafkaConfig,
              INPUTS.stream()
                  .filter(t -> !t.endsWith(Topic.DLQ_SUFFIX))
                  .map(t -> t + ".dlq")
                  .toList(),
              this::ownDeadLetter);
      starter = new Thread(this::startInputs, "select-state-start");
      starter.setDaemon(true);
      starter.start();
    }

    void ownDeadLetter(ConsumerRecord<String, byte[]> r) {
      String consumer = header(r, Publisher.DLQ_CONSUMER);
      String topic = header(r, Publisher.DLQ_TOPIC);
      String partition = header(r, Publisher.DLQ_PARTITION);
      String offset = header(r, Publisher.DLQ_OFFSET);
      if (Publisher.CONSUMER.equals(consumer)
          && topic != null
          && partition != null
          && offset != null) {
        life.markDeadLettered(topic, Integer.parseInt(partition), Long.parseLong(offset));
      }
    }

    void startInputs() {
      try {
        while (!stopped && !deadLetters.awaitCaughtUp(Duration.ofSeconds(1))) {
          LOG.debug("waiting for the replay of the dead-letter topics");
        }
        synchronized (this) {
          if (stopped) {
            return;
          }
          inputs = TopicFollower.startNamed(kafkaConfig, INPUTS, this::input);
        }
        while (!stopped && !inputs.awaitCaughtUp(Duration.ofSeconds(1))) {
          LOG.debug("waiting for the replay of campaigns and inputs");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (stopped) {
        return;
      }
      life.book().foldReplay();
      countStates();
      ready = true;
      LOG.infof("state replayed: %d campaigns", life.book().all().size());
      nudge();
    }

    void input(ConsumerRecord<String, byte[]> r) {
      records.handle(life, r);
      if (ready) {
        nudge();
      }
    }

    void applied(CampaignEvent e) {
      if (e.getEventCase() == CampaignEvent.EventCase.ROUND_EVALUATED) {
        metrics.roundCompleted();
      }
      if (ready) {
        countStates();
      }
    }

    void countStates() {
      Map<CampaignState, Integer> counts = new EnumMap<>(CampaignState.class);
      for (Campaign c : life.book().all()) {
        counts.merge(c.state(), 1, Integer::sum);
      }
      metrics.campaigns(counts);
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
      deadLetters.close();
    }
  }

  public SelectState(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      InputRecords records,
      SelectMetrics metrics) {
    this.kafkaConfig = kafkaConfig;
    this.records = records;
    this.metrics = metrics;
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts a fresh life and its replay; a running one is stopped first. */
  public synchronized void start() {
    stop();
    run = new Run();
  }

  /** Stops following the topics and drops the state (what a crash loses). */
  public synchronized void stop() {
    if (run != null) {
      run.stop();
      run = null;
    }
  }

  /** Whether the replay has caught up and the campaigns are folded. */
  public boolean ready() {
    Run r = run;
    return r != null && r.ready;
  }

  /** Waits (bounded) until the state is ready; returns whether it is. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready()) {
        return true;
      }
      Thread.sleep(20);
    }
    return ready();
  }

  /** The current life, or null when stopped or not ready yet. */
  public Life readyLife() {
    Run r = run;
    return r != null && r.ready ? r.life : null;
  }

  /** Calls {@code listener} whenever an input arrives or a campaign changes (after readiness). */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Wakes the listeners (the loop). */
  public void nudge() {
    listeners.forEach(Runnable::run);
  }

  /** Recounts the campaigns by state for the metrics. */
  public void recount() {
    Run r = run;
    if (r != null && r.ready) {
      r.countStates();
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
