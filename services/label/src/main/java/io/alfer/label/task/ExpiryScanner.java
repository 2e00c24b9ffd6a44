package io.alfer.label.task;

import io.alfer.core.concurrent.DaemonThreads;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.state.LabelState;
import io.alfer.label.state.Ledger;
import io.alfer.label.vendor.VendorRegistry;
import io.alfer.proto.v1.LabelTask;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every {@code alfer.label.expiry-scan}: re-issues tasks whose deadline passed unanswered (same
 * slot, next attempt, {@code reissue_of} set, due the vendor's task lifetime from now; to the next
 * vendor when the selection says {@code REASSIGN} and the vendor had it {@code
 * alfer.label.max-attempts} times), gives up the slots left, and announces the outcomes (labels, or
 * UNANSWERED) that became ready or whose announcement failed. Runs only once the state has caught
 * up with the topics.
 */
@ApplicationScoped
public class ExpiryScanner {
  private static final Logger LOG = Logger.getLogger(ExpiryScanner.class);

  private final LabelState state;
  private final TaskIssuer issuer;
  private final LabelAnnouncer announcer;
  private final LabelConfig config;
  private final VendorRegistry vendors;
  private final Clock clock;
  private ScheduledExecutorService executor;

  public ExpiryScanner(
      LabelState state,
      TaskIssuer issuer,
      LabelAnnouncer announcer,
      LabelConfig config,
      VendorRegistry vendors,
      Clock clock) {
    this.state = state;
    this.issuer = issuer;
    this.announcer = announcer;
    this.config = config;
    this.vendors = vendors;
    this.clock = clock;
  }

  void onStart(@Observes StartupEvent event) {
    executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("label-expiry"));
    long period = config.expiryScan().toMillis();
    executor.scheduleWithFixedDelay(this::scan, period, period, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    executor.shutdownNow();
  }

  /** One scan; failures are logged and the next scan tries again. */
  void scan() {
    try {
      if (!state.ready()) {
        return;
      }
      Ledger ledger = state.ledger();
      Instant now = clock.instant();
      List<LabelTask> due = ledger.expired(now, config.maxAttempts(), vendors::taskTtl);
      if (!due.isEmpty()) {
        LOG.infof("re-issuing %d expired tasks", due.size());
        issuer.issue(ledger, due);
      }
      announcer.announceReady(ledger);
    } catch (RuntimeException e) {
      LOG.warn("expiry scan failed; the next one retries", e);
    }
  }
}
