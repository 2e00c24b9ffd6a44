package io.alfer.label.result;

import io.alfer.kit.error.ServiceException;
import io.alfer.label.contract.ContractJson;
import io.alfer.label.contract.UnreadableResult;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.metrics.LabelMetrics;
import io.alfer.label.state.LabelState;
import io.alfer.label.state.Ledger;
import io.alfer.label.state.Refusal;
import io.alfer.label.state.Verdict;
import io.alfer.label.task.TaskIssuer;
import io.alfer.label.vendor.VendorRegistry;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The HTTP side of the vendor contract. An API key identifies its vendor, which sees and answers
 * only its own tasks (another vendor's task is answered as not found). A submitted result is
 * checked at once and, when acceptable, written to the vendor's alfer.vendor.<v>.results, where it
 * is processed exactly like a Kafka answer.
 */
@ApplicationScoped
public class VendorSubmissions {
  private final LabelState state;
  private final VendorRegistry vendors;
  private final TaskIssuer issuer;
  private final Publisher publisher;
  private final LabelMetrics metrics;
  private final Clock clock;

  public VendorSubmissions(
      LabelState state,
      VendorRegistry vendors,
      TaskIssuer issuer,
      Publisher publisher,
      LabelMetrics metrics,
      Clock clock) {
    this.state = state;
    this.vendors = vendors;
    this.issuer = issuer;
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The vendor of an API key; 401 without a valid one. */
  public String authenticate(String apiKey) {
    return vendors
        .vendorOf(apiKey)
        .orElseThrow(() -> ServiceException.unauthorized("a valid vendor API key is required"));
  }

  /** The vendor's open tasks, with freshly signed image URLs. */
  public List<LabelTask> openTasks(String vendor) {
    Ledger ledger = ready();
    Instant now = clock.instant();
    return ledger.openTasks(vendor).stream()
        .filter(t -> now.isBefore(io.alfer.core.messaging.Origins.instant(t.getDeadline())))
        .map(t -> issuer.signed(t, now))
        .toList();
  }

  /** One of the vendor's tasks, with a freshly signed image URL; 404 when not its own. */
  public LabelTask task(String vendor, String taskId) {
    LabelTask task = ownTask(ready(), vendor, taskId);
    return issuer.signed(task, clock.instant());
  }

  /**
   * Checks and submits a result for one of the vendor's tasks. The body is a LabelResult in JSON
   * form, read as strictly as on the topic; task id and vendor come from the path and the key.
   */
  public LabelResult submit(String vendor, String taskId, byte[] body) {
    Ledger ledger = ready();
    ownTask(ledger, vendor, taskId);
    LabelResult parsed;
    try {
      parsed = ContractJson.parseResult(body == null ? new byte[0] : body);
    } catch (UnreadableResult e) {
      throw refused(vendor, Refusal.of(e), e.getMessage());
    }
    if (!parsed.getTaskId().isEmpty() && !parsed.getTaskId().equals(taskId)) {
      throw refused(vendor, Refusal.MALFORMED, "taskId in the body differs from the path");
    }
    Instant now = clock.instant();
    LabelResult result = parsed.toBuilder().setTaskId(taskId).setVendor(vendor).build();
    if (!result.hasAnsweredAt()) {
      result =
          result.toBuilder().setAnsweredAt(io.alfer.core.messaging.Origins.timestamp(now)).build();
    }
    Verdict verdict = ledger.check(result, now);
    if (!verdict.isAccepted()) {
      throw refused(vendor, verdict.refusal(), verdict.message());
    }
    publisher.result(result, now).await().atMost(Duration.ofSeconds(30));
    return result;
  }

  private LabelTask ownTask(Ledger ledger, String vendor, String taskId) {
    return ledger
        .task(taskId)
        .filter(t -> t.getVendor().equals(vendor))
        .orElseThrow(() -> ServiceException.notFound("unknown_task", "no task " + taskId));
  }

  private ServiceException refused(String vendor, Refusal refusal, String message) {
    metrics.refused(vendor, refusal.code(), "http");
    return new ServiceException(refusal.httpStatus(), refusal.code(), message);
  }

  private Ledger ready() {
    if (!state.ready()) {
      throw ServiceException.unavailable(
          "not_ready", "the task state is still being replayed; retry shortly");
    }
    return state.ledger();
  }
}
