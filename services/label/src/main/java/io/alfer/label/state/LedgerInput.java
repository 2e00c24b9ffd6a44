package io.alfer.label.state;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An input of the label state and what its records do to the {@link Ledger}: a bean of the service
 * implements it (selections become tasks, the vendors' results become labels) and {@link
 * LabelState} follows its topics once the record of past decisions has been replayed. Replaying an
 * input re-derives the same decisions, so an implementation recognises what the ledger already
 * holds and does not write it again.
 */
public interface LedgerInput {
  /**
   * The topics this input reads, e.g. {@code alfer.selections}; each one's refusals go to its
   * {@code <topic>.dlq}.
   */
  List<String> topics();

  /** Applies one record, replayed or new, to {@code ledger}. */
  void apply(Ledger ledger, ConsumerRecord<String, byte[]> record);
}
