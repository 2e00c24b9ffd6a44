package io.alfer.trainer.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.trainer.job.JobService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes training requests from {@code alfer.training.requests}. A request is acknowledged once its
 * job is durably recorded (or known already: delivery is at-least-once, job ids make it
 * idempotent). A request that cannot be decoded or is refused fails the message, which the
 * channel's {@code dead-letter-queue} strategy sends to {@code alfer.training.requests.dlq} with
 * the reason in the {@code dead-letter-reason} header; the consumer goes on with the next record.
 */
@ApplicationScoped
public class RequestConsumer {
  private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
  private static final Duration UNAVAILABLE_PATIENCE = Duration.ofMinutes(5);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

  private final JobService jobs;

  public RequestConsumer(JobService jobs) {
    this.jobs = jobs;
  }

  @Incoming("requests-in")
  @Blocking(ordered = true)
  public void receive(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      throw new RejectedRequestException("empty_record: the record has no value");
    }
    TrainingRequest request;
    try {
      request = TrainingRequest.parseFrom(record.value());
    } catch (InvalidProtocolBufferException e) {
      throw new RejectedRequestException(
          "undecodable: not a TrainingRequest (" + e.getMessage() + ")");
    }
    if (record.key() != null && !record.key().equals(request.getJobId())) {
      LOG.warnf("request key %s differs from its job_id %s", record.key(), request.getJobId());
    }
    long deadline = System.nanoTime() + UNAVAILABLE_PATIENCE.toNanos();
    while (true) {
      try {
        jobs.submit(request);
        return;
      } catch (ServiceException e) {
        if (e.status() < 500) {
          throw new RejectedRequestException(e.reason() + ": " + e.getMessage());
        }
        // not the request's fault (catalog, storage or recovery not available): try again,
        // and only after a long outage give the record to the dead-letter topic
        if (System.nanoTime() > deadline) {
          throw new RejectedRequestException(e.reason() + ": " + e.getMessage());
        }
        LOG.warnf("request %s waits: %s", request.getJobId(), e.getMessage());
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RejectedRequestException("interrupted: the trainer is stopping");
    }
  }

  /** A request refused for good; its message is the dead-letter reason. */
  static final class RejectedRequestException extends RuntimeException {
    RejectedRequestException(String message) {
      super(message);
    }
  }
}
