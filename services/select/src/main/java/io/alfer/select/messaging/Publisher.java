package io.alfer.select.messaging;

import io.alfer.core.messaging.DeadLetter;
import io.alfer.kit.messaging.DeadLetterMessages;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.select.config.SelectConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes everything the select service produces — campaign events, selections, training requests
 * and dead letters — and returns when the broker has acknowledged the record (or throws).
 */
@ApplicationScoped
public class Publisher {
  /** The value of {@link DeadLetter#CONSUMER} on this service's dead letters. */
  public static final String CONSUMER = "select";

  private final MutinyEmitter<Record<String, CampaignEvent>> campaigns;
  private final MutinyEmitter<Record<String, SelectionMade>> selections;
  private final MutinyEmitter<Record<String, TrainingRequest>> training;
  private final MutinyEmitter<byte[]> deadLetters;
  private final Duration timeout;
  private final String instance;

  public Publisher(
      @Channel("campaigns-out") MutinyEmitter<Record<String, CampaignEvent>> campaigns,
      @Channel("selections-out") MutinyEmitter<Record<String, SelectionMade>> selections,
      @Channel("training-out") MutinyEmitter<Record<String, TrainingRequest>> training,
      @Channel("dead-letters-out")
          @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
          MutinyEmitter<byte[]> deadLetters,
      SelectConfig config) {
    this.campaigns = campaigns;
    this.selections = selections;
    this.training = training;
    this.deadLetters = deadLetters;
    this.timeout = config.sendTimeout();
    this.instance = config.instance();
  }

  /** Appends a campaign event, keyed {@code <campaign id>/<sequence>}. */
  public void campaignEvent(CampaignEvent event) {
    campaigns
        .send(Record.of(event.getCampaignId() + "/" + event.getSequence(), event))
        .await()
        .atMost(timeout);
  }

  /** Announces a selection on alfer.selections, keyed by campaign id. */
  public void selection(SelectionMade selection) {
    selections.send(Record.of(selection.getCampaignId(), selection)).await().atMost(timeout);
  }

  /** Asks the trainer for a job on alfer.training.requests, keyed by job id. */
  public void trainingRequest(TrainingRequest request) {
    training.send(Record.of(request.getJobId(), request)).await().atMost(timeout);
  }

  /**
   * Dead-letters a refused record to its {@code <topic>.dlq}, with why and where in the headers.
   */
  public void deadLetter(DeadLetter letter) {
    deadLetters
        .sendMessage(DeadLetterMessages.routed(letter, CONSUMER, instance))
        .await()
        .atMost(timeout);
  }
}
