package io.alfer.label.task;

import io.alfer.core.messaging.Origins;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.metrics.LabelMetrics;
import io.alfer.label.state.Ledger;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Announces the label of every image whose annotations are all in, once: the ledger hands each
 * image out once, and takes it back when the write fails (the expiry scan retries it).
 */
@ApplicationScoped
public class LabelAnnouncer {
  private static final Logger LOG = Logger.getLogger(LabelAnnouncer.class);

  private final Publisher publisher;
  private final LabelMetrics metrics;
  private final LabelConfig config;

  public LabelAnnouncer(Publisher publisher, LabelMetrics metrics, LabelConfig config) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.config = config;
  }

  /** Reconciles and announces what is ready. */
  public void announceReady(Ledger ledger) {
    for (LabelAssigned label : ledger.takeLabels(Origins.now("label", config.instance()))) {
      String key = Ledger.imageKey(label.getCampaignId(), label.getImageId());
      try {
        publisher.label(key, label).await().atMost(Duration.ofSeconds(60));
        ledger.recordLabel(label);
        if (label.getOutcome() == LabelOutcome.LABEL_OUTCOME_UNANSWERED) {
          LOG.infof(
              "image %s of round %d: no vendor answered; announced as unanswered",
              key, label.getRound());
          metrics.unanswered();
        } else {
          metrics.labelled(label.getMethod());
        }
      } catch (RuntimeException e) {
        LOG.warnf(e, "announcing the label of %s failed; it will be retried", key);
        ledger.labelFailed(key);
      }
    }
  }
}
