package io.alfer.select.state;

import io.alfer.select.campaign.CampaignBook;
import io.alfer.select.inputs.Inputs;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of the service's state, from a start to a stop (or a crash): the campaigns, the inputs,
 * the dead letters already written and what this run has published. A restart begins a fresh one
 * and rebuilds it from the topics.
 */
public final class Life {
  private final CampaignBook book;
  private final Inputs inputs = new Inputs();
  private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final Set<String> labelsSeen = ConcurrentHashMap.newKeySet();

  Life(CampaignBook book) {
    this.book = book;
  }

  public CampaignBook book() {
    return book;
  }

  public Inputs inputs() {
    return inputs;
  }

  /** Whether this service dead-lettered the record at topic/partition/offset already. */
  public boolean deadLettered(String topic, int partition, long offset) {
    return deadLettered.contains(topic + "/" + partition + "@" + offset);
  }

  /** Notes a dead letter written (now or in an earlier run). */
  public void markDeadLettered(String topic, int partition, long offset) {
    deadLettered.add(topic + "/" + partition + "@" + offset);
  }

  /**
   * Whether {@code what} (e.g. the selection of a round) was published in this run. Publishing is
   * idempotent downstream, so a new run publishes once more what it cannot be sure of.
   */
  public boolean sent(String what) {
    return sent.contains(what);
  }

  public void markSent(String what) {
    sent.add(what);
  }

  /** Notes the label of an image in a campaign; returns whether it is the first one seen. */
  boolean firstLabel(String campaignId, String imageId) {
    return labelsSeen.add(campaignId + "/" + imageId);
  }
}
