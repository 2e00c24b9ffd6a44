package io.alfer.select.state;

import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.Topic;
import io.alfer.kit.state.ReplayThenFollow.Phase;
import io.alfer.kit.state.ReplayThenFollow.Plan;
import io.alfer.kit.state.ReplayedState;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.CampaignState;
import io.alfer.select.campaign.Campaign;
import io.alfer.select.campaign.CampaignBook;
import io.alfer.select.messaging.Publisher;
import io.alfer.select.metrics.SelectMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Owns the service's {@link Life} and rebuilds it from the topics at every start (see {@code
 * adr/0001-campaign-state.md}): first the dead-letter topics of the inputs are replayed (to know
 * which records this service refused already), then alfer.campaigns and every input topic are
 * replayed from their beginning and followed. When that replay has caught up the campaign events
 * are folded and the state is ready: the loop and the API act only on a ready state.
 */
@ApplicationScoped
public class SelectState extends ReplayedState<Life> {
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

  private final InputRecords records;
  private final SelectMetrics metrics;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public SelectState(InputRecords records, SelectMetrics metrics) {
    this.records = records;
    this.metrics = metrics;
  }

  @Override
  protected Life newState() {
    return new Life(new CampaignBook(this::applied));
  }

  @Override
  protected Plan plan(Life life) {
    List<String> deadLetterTopics =
        INPUTS.stream().filter(t -> !t.endsWith(Topic.DLQ_SUFFIX)).map(t -> t + ".dlq").toList();
    return Plan.of(
            new Phase(deadLetterTopics, r -> ownDeadLetter(life, r)),
            new Phase(INPUTS, r -> input(life, r)))
        .whenCaughtUp(
            () -> {
              life.book().foldReplay();
              countStates(life);
              metrics.progress(life.book().all());
              LOG.infof("state replayed: %d campaigns", life.book().all().size());
            })
        .whenReady(this::nudge);
  }

  private static void ownDeadLetter(Life life, ConsumerRecord<String, byte[]> r) {
    DeadLetter.origin(r)
        .filter(o -> Publisher.CONSUMER.equals(o.consumer()))
        .ifPresent(o -> life.markDeadLettered(o.topic(), o.partition(), o.offset()));
  }

  private void input(Life life, ConsumerRecord<String, byte[]> r) {
    records.handle(life, r);
    if (ready()) {
      nudge();
    }
  }

  private void applied(CampaignEvent e) {
    if (e.getEventCase() == CampaignEvent.EventCase.ROUND_EVALUATED) {
      metrics.roundCompleted();
    }
    recount();
    // Only the event's own campaign is read: the step that wrote the event may hold it locked.
    Life life = readyState();
    if (life != null) {
      Campaign c = life.book().find(e.getCampaignId());
      if (c != null) {
        metrics.progress(c);
      }
    }
  }

  private void countStates(Life life) {
    Map<CampaignState, Integer> counts = new EnumMap<>(CampaignState.class);
    for (Campaign c : life.book().all()) {
      counts.merge(c.state(), 1, Integer::sum);
    }
    metrics.campaigns(counts);
  }

  /** The current life, or null when stopped or not ready yet. */
  public Life readyLife() {
    return readyState();
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
    Life life = readyState();
    if (life != null) {
      countStates(life);
    }
  }
}
