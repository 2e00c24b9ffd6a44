package io.alfer.label.state;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An input topic of the label state and what its records do to the {@link Ledger}: a bean of the
 * service implements it (selections become tasks, results become labels) and {@link LabelState}
 * follows its topic once the record of past decisions has been replayed. Replaying an input
 * re-derives the same decisions, so an implementation recognises what the ledger already holds and
 * does not write it again.
 */
public interface LedgerInput {
  /** The topic this input reads, e.g. {@code alfer.selections}. */
  String topic();

  /** Applies one record, replayed or new, to {@code ledger}. */
  void apply(Ledger ledger, ConsumerRecord<String, byte[]> record);
}
