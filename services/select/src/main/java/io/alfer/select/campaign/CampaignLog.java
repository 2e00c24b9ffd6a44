package io.alfer.select.campaign;

import io.alfer.core.claim.Claims;
import io.alfer.core.messaging.Origins;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.select.config.SelectConfig;
import io.alfer.select.messaging.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;

/**
 * Appends events to a campaign: takes the next sequence, writes the event to alfer.campaigns, waits
 * for the broker, then applies it to the in-memory campaign. Callers hold the campaign's monitor. A
 * failed write applies nothing and leaves a gap in the sequence (never a reused number), so that an
 * event the broker took without acknowledging cannot be confused with its retry. A round's
 * selection or labels too large for the record go to object storage first ({@link Claims}): the
 * topic holds the claim, the campaign in memory the whole event.
 */
@ApplicationScoped
public class CampaignLog {
  private final Publisher publisher;
  private final Claims claims;
  private final String instance;

  public CampaignLog(Publisher publisher, Claims claims, SelectConfig config) {
    this.publisher = publisher;
    this.claims = claims;
    this.instance = config.instance();
  }

  /**
   * Writes and applies one event.
   *
   * @param payload sets the event's payload on the builder
   * @throws RuntimeException when object storage did not take the event's claimed payload, or the
   *     broker did not acknowledge the write
   */
  public CampaignEvent append(
      CampaignBook book, Campaign campaign, Consumer<CampaignEvent.Builder> payload) {
    CampaignEvent.Builder b =
        CampaignEvent.newBuilder()
            .setCampaignId(campaign.id())
            .setSequence(campaign.takeSequence())
            .setOrigin(Origins.now("select", instance));
    payload.accept(b);
    CampaignEvent event = b.build();
    publisher.campaignEvent(claims.pack(event));
    book.apply(event);
    return event;
  }
}
