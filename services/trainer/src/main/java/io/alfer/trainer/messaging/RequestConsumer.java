package io.alfer.trainer.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.claim.ClaimRefused;
import io.alfer.core.claim.Claims;
import io.alfer.core.storage.StorageException;
import io.alfer.kit.error.ServiceException;
import io.alfer.kit.messaging.RefusedRecord;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.trainer.config.TrainerConfig;
import io.alfer.trainer.job.JobService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Takes training requests from {@code alfer.training.requests}. A request is acknowledged once its
 * job is durably recorded (or known already: delivery is at-least-once, job ids make it
 * idempotent). A request that cannot be decoded or is refused is a {@link RefusedRecord}: the
 * channel's {@code dead-letter-queue} strategy sends it to {@code alfer.training.requests.dlq} with
 * the reason in the {@code dead-letter-reason} header; the consumer goes on with the next record. A
 * fine-tuning whose labelled set is claim-checked ({@link Claims}) is submitted only with the set
 * read back whole: a missing, corrupt or undecodable object refuses the request ({@code
 * claim_missing}, {@code claim_corrupt}, {@code claim_undecodable}; also REJECTED on the progress
 * topic) and no job is recorded; object storage that does not answer is waited for like any other
 * storage outage.
 */
@ApplicationScoped
public class RequestConsumer {
  private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

  /** Name of the channel setting the patience must stay below. */
  static final String MAX_AGE =
      "mp.messaging.incoming.requests-in.throttled.unprocessed-record-max-age.ms";

  private final JobService jobs;
  private final Claims claims;
  private final Duration patience;

  public RequestConsumer(
      JobService jobs,
      Claims claims,
      TrainerConfig config,
      @ConfigProperty(name = MAX_AGE, defaultValue = "60000") long maxAgeMillis) {
    this.jobs = jobs;
    this.claims = claims;
    this.patience = config.requestPatience();
    checkPatience(patience, Duration.ofMillis(maxAgeMillis));
  }

  /**
   * The channel marks itself failed (and the trainer unhealthy) when a record stays unprocessed
   * longer than its max age, so a request may wait at most that long: its patience, plus one last
   * attempt (which can block for {@link JobService#LONGEST_ATTEMPT}), plus a pause.
   *
   * @throws IllegalStateException naming both settings when the patience does not fit
   */
  static void checkPatience(Duration patience, Duration maxAge) {
    Duration longest = patience.plus(JobService.LONGEST_ATTEMPT).plus(RETRY_PAUSE);
    if (patience.isNegative() || maxAge.toMillis() > 0 && longest.compareTo(maxAge) >= 0) {
      throw new IllegalStateException(
          "alfer.trainer.request-patience="
              + patience
              + " plus one attempt ("
              + JobService.LONGEST_ATTEMPT.plus(RETRY_PAUSE)
              + ") must stay below "
              + MAX_AGE
              + "="
              + maxAge.toMillis()
              + ": a request waiting that long would mark the channel failed");
    }
  }

  @Incoming("requests-in")
  @Blocking(ordered = true)
  public CompletionStage<Void> receive(Message<byte[]> message) {
    try {
      return RefusedRecord.settle(message, this::handle);
    } catch (Stopping e) {
      // neither acknowledged nor refused: not committed, so read again after the restart
      return new CompletableFuture<>();
    }
  }

  private void handle(Message<byte[]> message) {
    byte[] value = message.getPayload();
    if (value == null) {
      throw new RefusedRecord("empty_record", "the record has no value");
    }
    TrainingRequest request;
    try {
      request = TrainingRequest.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new RefusedRecord("undecodable", "not a TrainingRequest (" + e.getMessage() + ")");
    }
    String key = RefusedRecord.key(message).orElse(null);
    if (key != null && !key.equals(request.getJobId())) {
      LOG.warnf("request key %s differs from its job_id %s", key, request.getJobId());
    }
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      String reason;
      String why;
      try {
        jobs.submit(claims.resolve(request));
        return;
      } catch (ClaimRefused e) {
        jobs.refusedBeforeSubmission(request.getJobId(), e.reason(), e.getMessage());
        throw new RefusedRecord(e.reason(), e.getMessage());
      } catch (ServiceException e) {
        if (e.status() < 500) {
          throw new RefusedRecord(e.reason(), e.getMessage());
        }
        reason = e.reason();
        why = e.getMessage();
      } catch (StorageException e) {
        reason = "storage_unavailable";
        why = e.getMessage();
      }
      // not the request's fault (catalog, storage or recovery not available): try again,
      // and only after a long outage give the record to the dead-letter topic
      if (System.nanoTime() > deadline) {
        throw new RefusedRecord(reason, why + " (gave up after " + patience + ")");
      }
      LOG.warnf("request %s waits: %s: %s", request.getJobId(), reason, why);
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopping();
    }
  }

  /** The trainer stops while a request waits for its dependencies. */
  private static final class Stopping extends RuntimeException {
    Stopping() {
      super("the trainer is stopping", null, false, false);
    }
  }
}
