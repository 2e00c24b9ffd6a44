package io.alfer.label.task;

import io.alfer.core.concurrent.DaemonThreads;
import io.alfer.core.messaging.Origins;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.metrics.LabelMetrics;
import io.alfer.label.state.Ledger;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Announces the label of every image whose annotations are all in, once: the ledger hands each
 * image out once, and takes it back when the write fails (the expiry scan retries it).
 *
 * <p>The writes are not awaited one by one: the caller (the thread that follows the results) goes
 * on with the next result while up to {@value #MAX_IN_FLIGHT} labels wait for the broker, and a
 * label is recorded in the ledger when the broker has acknowledged it. Awaiting each write held the
 * results to one per producer round trip (linger and acks=all: about 7 ms, 140 results/s, {@code
 * ./alfer bench label}). Nothing is weaker for it: a label in flight is neither announced nor open
 * in the ledger, a crash before its acknowledgement leaves it to the replay of the results
 * (alfer.labels does not have it), and a stopped run's labels land before a new run replays
 * alfer.labels ({@code LabelState.stop()} waits for them).
 */
@ApplicationScoped
public class LabelAnnouncer {
  private static final Logger LOG = Logger.getLogger(LabelAnnouncer.class);

  /** Labels written and not yet acknowledged, at most; below the channel's buffer of 4096. */
  static final int MAX_IN_FLIGHT = 1024;

  /** How long a write may wait for its acknowledgement before the label is put back. */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

  private final Publisher publisher;
  private final LabelMetrics metrics;
  private final LabelConfig config;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  /**
   * Where acknowledgements are recorded: not on the producer's network thread, which would wait for
   * the ledger while the results thread holds it (a Dawid-Skene refit) and stall every write.
   */
  private final ExecutorService acknowledged =
      Executors.newSingleThreadExecutor(DaemonThreads.named("label-acknowledged"));

  public LabelAnnouncer(Publisher publisher, LabelMetrics metrics, LabelConfig config) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.config = config;
  }

  /**
   * Reconciles what is ready and writes its labels; returns once they are handed to the producer
   * (waiting only while {@value #MAX_IN_FLIGHT} are unacknowledged).
   */
  public void announceReady(Ledger ledger) {
    for (LabelAssigned label : ledger.takeLabels(Origins.now("label", config.instance()))) {
      String key = Ledger.imageKey(label.getCampaignId(), label.getImageId());
      try {
        inFlight.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ledger.labelFailed(key);
        continue;
      }
      try {
        publisher
            .label(key, label)
            .ifNoItem()
            .after(WRITE_TIMEOUT)
            .fail()
            .emitOn(acknowledged)
            .subscribe()
            .with(
                ok -> {
                  try {
                    announced(ledger, key, label);
                  } finally {
                    inFlight.release();
                  }
                },
                failure -> {
                  try {
                    LOG.warnf(
                        failure, "announcing the label of %s failed; it will be retried", key);
                    ledger.labelFailed(key);
                  } finally {
                    inFlight.release();
                  }
                });
      } catch (RuntimeException e) {
        inFlight.release();
        LOG.warnf(e, "announcing the label of %s failed; it will be retried", key);
        ledger.labelFailed(key);
      }
    }
  }

  @PreDestroy
  void close() {
    acknowledged.shutdown();
  }

  private void announced(Ledger ledger, String key, LabelAssigned label) {
    ledger.recordLabel(label);
    if (label.getOutcome() == LabelOutcome.LABEL_OUTCOME_UNANSWERED) {
      LOG.infof(
          "image %s of round %d: no vendor answered; announced as unanswered",
          key, label.getRound());
      metrics.unanswered();
    } else {
      metrics.labelled(label.getMethod());
    }
  }
}
