package io.alfer.label.task;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.claim.ClaimCheck;
import io.alfer.core.claim.ClaimRefused;
import io.alfer.core.claim.Claims;
import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.TopicFollower;
import io.alfer.core.storage.StorageException;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.metrics.LabelMetrics;
import io.alfer.label.state.Ledger;
import io.alfer.label.state.LedgerInput;
import io.alfer.label.state.Refusal;
import io.alfer.label.vendor.VendorRegistry;
import io.alfer.proto.v1.SelectionMade;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Turns a selection (alfer.selections) into tasks. A selection that cannot become tasks goes to
 * alfer.selections.dlq with its reason; one read again (replay) issues nothing twice. A selection
 * whose images are claim-checked ({@link Claims}) is planned only once they are read back whole: a
 * missing, corrupt or undecodable object refuses it ({@code claim_missing}, {@code claim_corrupt},
 * {@code claim_undecodable}) before anything is recorded; while object storage does not answer, the
 * selection (and its partition) waits and is read again.
 */
@ApplicationScoped
public class SelectionProcessor implements LedgerInput {
  private static final Logger LOG = Logger.getLogger(SelectionProcessor.class);

  private final TaskIssuer issuer;
  private final Claims claims;
  private final Publisher publisher;
  private final VendorRegistry vendors;
  private final LabelMetrics metrics;
  private final LabelConfig config;
  private final Clock clock;

  public SelectionProcessor(
      TaskIssuer issuer,
      Claims claims,
      Publisher publisher,
      VendorRegistry vendors,
      LabelMetrics metrics,
      LabelConfig config,
      Clock clock) {
    this.issuer = issuer;
    this.claims = claims;
    this.publisher = publisher;
    this.vendors = vendors;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /** Handles one record of alfer.selections. */
  @Override
  public List<String> topics() {
    return List.of(Topic.SELECTIONS.topicName());
  }

  @Override
  public void apply(Ledger ledger, ConsumerRecord<String, byte[]> record) {
    SelectionMade selection;
    try {
      if (record.value() == null) {
        throw new InvalidProtocolBufferException("the record has no value");
      }
      selection = SelectionMade.parseFrom(record.value());
    } catch (InvalidProtocolBufferException e) {
      refuse(ledger, record, Refusal.MALFORMED, "not a SelectionMade: " + e.getMessage());
      return;
    }
    if (ClaimCheck.SELECTION_MADE.claimed(selection)) {
      if (ledger.isDeadLettered(record.topic(), record.partition(), record.offset())) {
        return; // refused by an earlier run; its object need not be read again
      }
      try {
        selection = claims.resolve(ClaimCheck.SELECTION_MADE, selection);
      } catch (ClaimRefused e) {
        refuse(ledger, record, Refusal.of(e), e.getMessage());
        return;
      } catch (StorageException e) {
        throw new TopicFollower.RetryLater("object storage unavailable: " + e.getMessage(), e);
      }
    }
    Ledger.Plan plan =
        ledger.plan(
            selection, clock.instant(), vendors::taskTtl, config.defaultVendors(), vendors.names());
    if (plan.refusal() != null) {
      refuse(ledger, record, plan.refusal(), plan.message());
      return;
    }
    issuer.issue(ledger, plan.tasks());
  }

  private void refuse(
      Ledger ledger, ConsumerRecord<String, byte[]> r, Refusal refusal, String message) {
    if (ledger.isDeadLettered(r.topic(), r.partition(), r.offset())) {
      return;
    }
    LOG.warnf("selection %s-%d@%d refused: %s", r.topic(), r.partition(), r.offset(), message);
    metrics.selectionRefused(refusal.code());
    publisher
        .refusedSelection(DeadLetter.of(r, refusal.code(), message))
        .await()
        .atMost(Duration.ofSeconds(60));
    ledger.recordDeadLettered(r.topic(), r.partition(), r.offset());
  }
}
