package io.alfer.label.task;

import io.alfer.core.messaging.Origins;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.metrics.LabelMetrics;
import io.alfer.label.state.Ledger;
import io.alfer.proto.v1.LabelTask;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Issues planned tasks: signs each image URL, records the task in the ledger and writes it to its
 * vendor's alfer.vendor.<v>.tasks. A task is recorded before it is written: should the write fail,
 * the task expires unanswered and is re-issued, so no slot is ever left without one.
 */
@ApplicationScoped
public class TaskIssuer {
  private final ObjectStore store;
  private final Publisher publisher;
  private final LabelMetrics metrics;
  private final LabelConfig config;
  private final Clock clock;

  public TaskIssuer(
      ObjectStore store,
      Publisher publisher,
      LabelMetrics metrics,
      LabelConfig config,
      Clock clock) {
    this.store = store;
    this.publisher = publisher;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
    Duration ttl = config.urlTtl();
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_URL_TTL) > 0) {
      throw new IllegalStateException(
          "alfer.label.url-ttl="
              + ttl
              + " must be positive and at most "
              + MAX_URL_TTL
              + " (the longest an S3 pre-signed URL may live)");
    }
  }

  /** The longest validity of an S3 (SigV4) pre-signed URL. */
  static final Duration MAX_URL_TTL = Duration.ofDays(7);

  /**
   * Tasks written at a time, each part awaited before the next: the tasks-out channel buffers 8,192
   * messages beyond what the producer asked for, and a selection of more tasks written at once
   * overflowed it (its last tasks were recorded but not written, so re-issued only a task-ttl
   * later).
   */
  static final int WRITE_PART = 1000;

  /**
   * Signs, records and writes the tasks, in parts of {@value #WRITE_PART}; returns when the broker
   * acknowledged all of them. When a part's write fails the rest are still recorded and written,
   * and then the first failure is thrown (the tasks not written expire and are re-issued).
   */
  public void issue(Ledger ledger, List<LabelTask> drafts) {
    Instant now = clock.instant();
    RuntimeException failed = null;
    for (int from = 0; from < drafts.size(); from += WRITE_PART) {
      List<Uni<Void>> sends = new ArrayList<>();
      for (LabelTask draft : drafts.subList(from, Math.min(drafts.size(), from + WRITE_PART))) {
        LabelTask task = signed(draft, now);
        ledger.recordTask(task);
        metrics.issued(task.getVendor());
        sends.add(publisher.task(task, now));
      }
      try {
        Uni.join().all(sends).andCollectFailures().await().atMost(Duration.ofMinutes(2));
      } catch (RuntimeException e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** A copy of the task with a fresh pre-signed image URL. */
  public LabelTask signed(LabelTask task, Instant now) {
    Duration ttl = config.urlTtl();
    String url =
        store.presignGet(StorageLayout.canonicalImage(task.getDataset(), task.getImageId()), ttl);
    return task.toBuilder()
        .setImageUrl(url)
        .setUrlExpiresAt(Origins.timestamp(now.plus(ttl)))
        .build();
  }
}
