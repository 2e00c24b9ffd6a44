package io.alfer.select.campaign;

import io.alfer.proto.v1.CampaignEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Every campaign, rebuilt from alfer.campaigns. Events of one campaign may sit in different
 * partitions (the key is campaign id/sequence), so during the replay they are buffered and folded
 * in sequence order once the replay has caught up ({@link #foldReplay}); afterwards an event read
 * back from the topic is applied only if it was not this process's own write.
 */
public final class CampaignBook {
  private static final Logger LOG = Logger.getLogger(CampaignBook.class);

  private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
  private final List<CampaignEvent> replay = new ArrayList<>();
  private final Consumer<CampaignEvent> onApplied;
  private boolean folded;

  /** A book that calls {@code onApplied} for every event that changed a campaign. */
  public CampaignBook(Consumer<CampaignEvent> onApplied) {
    this.onApplied = onApplied;
  }

  /** An event read from alfer.campaigns. */
  public void read(CampaignEvent event) {
    synchronized (this) {
      if (!folded) {
        replay.add(event);
        return;
      }
    }
    if (!after(event)) {
      return; // written by this process (applied when written) or already replayed
    }
    LOG.warnf(
        "campaign %s: event %d read from the topic was not written by this instance",
        event.getCampaignId(), event.getSequence());
    apply(event);
  }

  /**
   * Whether {@link #read} would take the event (apply it, or keep it for the fold): false for an
   * event this process wrote (and applied) or applied already, whose claimed payload need not be
   * read back.
   */
  public boolean wants(CampaignEvent event) {
    synchronized (this) {
      if (!folded) {
        return true;
      }
    }
    return after(event);
  }

  private boolean after(CampaignEvent event) {
    Campaign c = campaigns.get(event.getCampaignId());
    return c == null || event.getSequence() >= c.nextSequence();
  }

  /** Folds what the replay read, campaign by campaign in sequence order. */
  public void foldReplay() {
    List<CampaignEvent> events;
    synchronized (this) {
      if (folded) {
        return;
      }
      folded = true;
      events = new ArrayList<>(replay);
      replay.clear();
    }
    events.sort(
        Comparator.comparing(CampaignEvent::getCampaignId)
            .thenComparingLong(CampaignEvent::getSequence));
    events.forEach(this::apply);
    LOG.infof("replayed %d campaign events of %d campaigns", events.size(), campaigns.size());
  }

  /** Applies an event (this process's own write, or a replayed one). */
  public boolean apply(CampaignEvent event) {
    Campaign c = campaigns.computeIfAbsent(event.getCampaignId(), Campaign::new);
    boolean changed = c.apply(event);
    if (changed) {
      onApplied.accept(event);
    }
    return changed;
  }

  /** A campaign that exists (was created), or null. */
  public Campaign find(String id) {
    Campaign c = campaigns.get(id);
    return c != null && c.exists() ? c : null;
  }

  /**
   * The campaign object for {@code id}, made if missing (for creating it; it exists once its
   * creation event is applied).
   */
  public Campaign slot(String id) {
    return campaigns.computeIfAbsent(id, Campaign::new);
  }

  /** Every existing campaign. */
  public List<Campaign> all() {
    return campaigns.values().stream().filter(Campaign::exists).toList();
  }
}
