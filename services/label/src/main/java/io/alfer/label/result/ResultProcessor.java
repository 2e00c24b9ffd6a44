package io.alfer.label.result;

import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.label.contract.ContractJson;
import io.alfer.label.contract.UnreadableResult;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.metrics.LabelMetrics;
import io.alfer.label.state.Ledger;
import io.alfer.label.state.LedgerInput;
import io.alfer.label.state.Refusal;
import io.alfer.label.state.Verdict;
import io.alfer.label.task.LabelAnnouncer;
import io.alfer.label.vendor.VendorRegistry;
import io.alfer.proto.v1.LabelResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Checks every record of the registered vendors' result topics ({@code alfer.vendor.<v>.results}).
 * The vendor of a result is the vendor whose topic it arrived on — only that vendor may write there
 * — and a result whose {@code vendor} field or {@code ce_source} names another is refused as {@code
 * wrong_vendor}. Accepted results go into the ledger (and may complete an image, whose label is
 * then announced); refused ones go to the vendor's {@code alfer.vendor.<v>.results.dlq} with the
 * reason, once, and are counted. A result's time is its Kafka record timestamp, so a replay judges
 * lateness exactly as the first reading did. Nothing a vendor sends can make this throw.
 */
@ApplicationScoped
public class ResultProcessor implements LedgerInput {
  private static final Logger LOG = Logger.getLogger(ResultProcessor.class);

  private final Publisher publisher;
  private final LabelAnnouncer announcer;
  private final LabelMetrics metrics;
  private final List<String> topics;

  public ResultProcessor(
      Publisher publisher, LabelAnnouncer announcer, LabelMetrics metrics, VendorRegistry vendors) {
    this.publisher = publisher;
    this.announcer = announcer;
    this.metrics = metrics;
    this.topics = vendors.names().stream().sorted().map(VendorTopics::results).toList();
  }

  /** Every registered vendor's result topic. */
  @Override
  public List<String> topics() {
    return topics;
  }

  @Override
  public void apply(Ledger ledger, ConsumerRecord<String, byte[]> record) {
    String vendor = VendorTopics.vendorOfResults(record.topic()).orElseThrow();
    LabelResult result;
    try {
      result = ContractJson.parseResult(record.value());
    } catch (UnreadableResult e) {
      refuse(ledger, record, vendor, Refusal.of(e), e.getMessage());
      return;
    }
    if (!result.getVendor().isEmpty() && !result.getVendor().equals(vendor)) {
      refuse(
          ledger,
          record,
          vendor,
          Refusal.WRONG_VENDOR,
          "the result names vendor '"
              + result.getVendor()
              + "' but arrived on vendor '"
              + vendor
              + "''s topic "
              + record.topic());
      return;
    }
    Header source = record.headers().lastHeader(CloudEvents.SOURCE);
    if (source != null) {
      String ceSource = new String(source.value(), StandardCharsets.UTF_8);
      if (!ceSource.endsWith("/vendors/" + vendor)) {
        refuse(
            ledger,
            record,
            vendor,
            Refusal.WRONG_VENDOR,
            "ce_source is '"
                + ceSource
                + "'; on "
                + record.topic()
                + " it must end with /vendors/"
                + vendor);
        return;
      }
    }
    result = result.toBuilder().setVendor(vendor).build();
    Header type = record.headers().lastHeader(CloudEvents.TYPE);
    if (type != null) {
      String ceType = new String(type.value(), StandardCharsets.UTF_8);
      if (!CloudEvents.LABEL_RESULT_TYPE.equals(ceType)
          && !CloudEvents.LABEL_RESULT_TYPE_V1.equals(ceType)) {
        refuse(
            ledger,
            record,
            vendor,
            Refusal.MALFORMED,
            "ce_type is '" + ceType + "', expected " + CloudEvents.LABEL_RESULT_TYPE);
        return;
      }
    }
    Verdict verdict = ledger.check(result, Instant.ofEpochMilli(record.timestamp()));
    if (!verdict.isAccepted()) {
      refuse(ledger, record, vendor, verdict.refusal(), verdict.message());
      return;
    }
    ledger.accept(result, verdict);
    metrics.accepted(result.getVendor());
    announcer.announceReady(ledger);
  }

  private void refuse(
      Ledger ledger,
      ConsumerRecord<String, byte[]> r,
      String vendor,
      Refusal refusal,
      String message) {
    ledger.refuse(vendor, refusal);
    metrics.refused(vendor, refusal.code(), "kafka");
    if (ledger.isDeadLettered(r.topic(), r.partition(), r.offset())) {
      return;
    }
    LOG.debugf("result %s-%d@%d refused: %s", r.topic(), r.partition(), r.offset(), message);
    publisher
        .refusedResult(DeadLetter.of(r, refusal.code(), message))
        .await()
        .atMost(Duration.ofSeconds(60));
    ledger.recordDeadLettered(r.topic(), r.partition(), r.offset());
  }
}
