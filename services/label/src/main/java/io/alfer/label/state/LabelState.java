package io.alfer.label.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.kit.state.ReplayThenFollow.Phase;
import io.alfer.kit.state.ReplayThenFollow.Plan;
import io.alfer.kit.state.ReplayedState;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.consensus.Consensus;
import io.alfer.label.consensus.DawidSkene;
import io.alfer.label.contract.ContractJson;
import io.alfer.label.metrics.LabelMetrics;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.LabelAssigned;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Owns the {@link Ledger} and rebuilds it from the topics at every start (see {@code
 * adr/0001-task-state.md}). First the record of what was decided — alfer.datasets, alfer.labels,
 * every registered vendor's task topic and the dead-letter topics of the inputs — is replayed to
 * its end; then the inputs, alfer.selections and every registered vendor's result topic, are read
 * from their beginning and followed, each by its {@link LedgerInput}. Replaying an input re-derives
 * the same decisions; what was already written (a task, a label, a dead letter) is recognised and
 * not written again.
 */
@ApplicationScoped
public class LabelState extends ReplayedState<Ledger> {
  private static final Logger LOG = Logger.getLogger(LabelState.class);

  /** How long a stop waits for the labels under way (each write gives up after 60 s). */
  private static final Duration ANNOUNCEMENTS_TIMEOUT = Duration.ofSeconds(70);

  private final LabelConfig config;
  private final LabelMetrics metrics;
  private final Set<String> vendors;
  private final Map<String, LedgerInput> inputs = new TreeMap<>();

  public LabelState(LabelConfig config, LabelMetrics metrics, @All List<LedgerInput> inputs) {
    this.config = config;
    this.metrics = metrics;
    // the registered vendors (their names are checked by the vendor registry at start)
    this.vendors = Set.copyOf(config.vendors().keySet());
    for (LedgerInput input : inputs) {
      for (String topic : input.topics()) {
        if (this.inputs.put(topic, input) != null) {
          throw new IllegalStateException("two label-state inputs read " + topic);
        }
      }
    }
  }

  @Override
  protected Ledger newState() {
    LabelConfig.DawidSkene ds = config.dawidSkene();
    return new Ledger(
        new Consensus.Settings(
            ds.minHistory(),
            ds.refitEvery(),
            ds.refitGrowth(),
            new DawidSkene.Prior(ds.classPrior(), ds.diagonalPrior())),
        metrics::dawidSkeneFit);
  }

  @Override
  protected Plan plan(Ledger ledger) {
    List<String> record =
        new ArrayList<>(List.of(Topic.DATASETS.topicName(), Topic.LABELS.topicName()));
    vendors.forEach(vendor -> record.add(VendorTopics.tasks(vendor)));
    inputs.keySet().forEach(input -> record.add(input + Topic.DLQ_SUFFIX));
    return Plan.of(
        new Phase(record, r -> applyRecord(ledger, r)),
        new Phase(List.copyOf(inputs.keySet()), r -> inputs.get(r.topic()).apply(ledger, r)));
  }

  /**
   * Stops following the topics and drops the ledger, once the labels it handed out are written (or
   * put back): a new run replays alfer.labels, and a label still on its way there would be
   * announced again from the replayed results.
   */
  @Override
  public synchronized void stop() {
    Ledger stopped = currentState();
    super.stop();
    if (stopped == null) {
      return;
    }
    try {
      if (!stopped.awaitAnnounced(ANNOUNCEMENTS_TIMEOUT)) {
        LOG.warnf("labels were still being announced %s after the stop", ANNOUNCEMENTS_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The current ledger. */
  public Ledger ledger() {
    Ledger ledger = currentState();
    if (ledger == null) {
      throw new IllegalStateException("the label state is stopped");
    }
    return ledger;
  }

  private static void applyRecord(Ledger ledger, ConsumerRecord<String, byte[]> r) {
    String topic = r.topic();
    if (topic.endsWith(Topic.DLQ_SUFFIX)) {
      DeadLetter.origin(r)
          .ifPresent(o -> ledger.recordDeadLettered(o.topic(), o.partition(), o.offset()));
      return;
    }
    if (r.value() == null) {
      return;
    }
    try {
      if (topic.equals(Topic.DATASETS.topicName())) {
        DatasetDefined d = DatasetDefined.parseFrom(r.value());
        ledger.defineDataset(d.getDataset(), d.getTaxonomy().getClassesList());
      } else if (topic.equals(Topic.LABELS.topicName())) {
        ledger.recordLabel(LabelAssigned.parseFrom(r.value()));
      } else if (topic.startsWith(VendorTopics.PREFIX)) {
        ledger.recordTask(ContractJson.parseTask(r.value()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("undecodable record on " + topic, e);
    }
  }
}
