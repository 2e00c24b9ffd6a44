package io.alfer.select.campaign;

import io.alfer.core.messaging.Origins;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.CampaignState;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.RoundEvaluated;
import io.alfer.proto.v1.RoundLabelled;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.TrainingRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One campaign: the fold of its events (alfer.campaigns) in sequence order. {@link #apply} is
 * idempotent — an event whose sequence was applied already, or that does not fit the state (a round
 * selected twice, a step after the end), changes nothing — so replaying the topic, or reading back
 * one's own writes, gives the same state. Writers hold the campaign's monitor while they decide and
 * append, so that one campaign's events are written one at a time.
 */
public final class Campaign {
  private static final Logger LOG = Logger.getLogger(Campaign.class);

  private final String id;
  private final AtomicLong nextSequence = new AtomicLong();
  private final Set<Long> applied = new HashSet<>();
  private final TreeMap<Integer, Round> rounds = new TreeMap<>();
  private final Set<String> selectedIds = new HashSet<>();
  private final Map<String, Integer> labels = new LinkedHashMap<>();
  private volatile CampaignSpec spec;
  private volatile CampaignState state = CampaignState.CAMPAIGN_STATE_UNSPECIFIED;
  private String reason = "";
  private String endMessage = "";
  private Instant createdAt = Instant.EPOCH;
  private Instant updatedAt = Instant.EPOCH;
  private volatile String status = "";
  private volatile boolean scoresReady;

  /** The events of one round, as far as they happened. */
  public static final class Round {
    private final int number;
    private volatile RoundSelected selected;
    private volatile RoundLabelled labelled;
    private volatile TrainingRequested training;
    private volatile RoundEvaluated evaluated;

    Round(int number) {
      this.number = number;
    }

    public int number() {
      return number;
    }

    public RoundSelected selected() {
      return selected;
    }

    public RoundLabelled labelled() {
      return labelled;
    }

    public TrainingRequested training() {
      return training;
    }

    public RoundEvaluated evaluated() {
      return evaluated;
    }

    /** The selected ids, in selection order. */
    public List<String> imageIds() {
      return selected.getImagesList().stream().map(SelectedImage::getImageId).toList();
    }
  }

  public Campaign(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The sequence the next event gets; taken with {@link #takeSequence()}. */
  public long nextSequence() {
    return nextSequence.get();
  }

  /** Reserves the next sequence number (a failed write leaves a gap, never a reuse). */
  public long takeSequence() {
    return nextSequence.getAndIncrement();
  }

  /**
   * Applies an event; returns whether it changed the state.
   *
   * @throws IllegalArgumentException if the event is of another campaign
   */
  public synchronized boolean apply(CampaignEvent event) {
    if (!event.getCampaignId().equals(id)) {
      throw new IllegalArgumentException(
          "event of campaign " + event.getCampaignId() + " applied to " + id);
    }
    nextSequence.accumulateAndGet(event.getSequence() + 1, Math::max);
    if (!applied.add(event.getSequence())) {
      return false;
    }
    boolean changed = fold(event);
    if (changed && event.hasOrigin()) {
      Instant at = Origins.instant(event.getOrigin().getTime());
      if (at.isAfter(updatedAt)) {
        updatedAt = at;
      }
    }
    if (!changed) {
      LOG.debugf(
          "campaign %s: event %d (%s) does not fit the state; ignored",
          id, event.getSequence(), event.getEventCase());
    }
    return changed;
  }

  private boolean fold(CampaignEvent e) {
    switch (e.getEventCase()) {
      case CREATED -> {
        if (spec != null) {
          return false;
        }
        spec = e.getCreated();
        state = CampaignState.CAMPAIGN_STATE_RUNNING;
        createdAt = e.hasOrigin() ? Origins.instant(e.getOrigin().getTime()) : Instant.EPOCH;
        return true;
      }
      case ROUND_SELECTED -> {
        RoundSelected s = e.getRoundSelected();
        if (!live() || (rounds.containsKey(s.getRound()) && round(s.getRound()).selected != null)) {
          return false;
        }
        round(s.getRound()).selected = s;
        scoresReady = false;
        s.getImagesList().forEach(i -> selectedIds.add(i.getImageId()));
        return true;
      }
      case ROUND_LABELLED -> {
        RoundLabelled l = e.getRoundLabelled();
        Round r = rounds.get(l.getRound());
        if (!live() || r == null || r.selected == null || r.labelled != null) {
          return false;
        }
        r.labelled = l;
        for (LabelledImage image : l.getLabelsList()) {
          labels.putIfAbsent(image.getImageId(), image.getLabel());
        }
        return true;
      }
      case TRAINING_REQUESTED -> {
        TrainingRequested t = e.getTrainingRequested();
        Round r = rounds.get(t.getRound());
        if (!live() || r == null || r.labelled == null || r.training != null) {
          return false;
        }
        r.training = t;
        return true;
      }
      case ROUND_EVALUATED -> {
        RoundEvaluated v = e.getRoundEvaluated();
        Round r = rounds.get(v.getRound());
        if (!live() || r == null || r.training == null || r.evaluated != null) {
          return false;
        }
        r.evaluated = v;
        return true;
      }
      case STATE_CHANGED -> {
        CampaignState to = e.getStateChanged().getState();
        if (!live()
            || !(to == CampaignState.CAMPAIGN_STATE_RUNNING
                || to == CampaignState.CAMPAIGN_STATE_PAUSED
                || to == CampaignState.CAMPAIGN_STATE_CANCELLED)) {
          return false;
        }
        state = to;
        reason = e.getStateChanged().getReason();
        if (to == CampaignState.CAMPAIGN_STATE_CANCELLED) {
          endMessage = reason.isEmpty() ? "cancelled" : "cancelled: " + reason;
        }
        return true;
      }
      case COMPLETED -> {
        if (!live()) {
          return false;
        }
        state = CampaignState.CAMPAIGN_STATE_COMPLETED;
        reason = e.getCompleted().getReason();
        endMessage =
            "completed (%s): %d rounds, %d labels, final test accuracy %.4f"
                .formatted(
                    reason,
                    e.getCompleted().getRoundsRun(),
                    e.getCompleted().getLabelledTotal(),
                    e.getCompleted().getFinalTestAccuracy());
        return true;
      }
      case FAILED -> {
        if (!live()) {
          return false;
        }
        state = CampaignState.CAMPAIGN_STATE_FAILED;
        reason = e.getFailed().getReason();
        endMessage =
            "failed in round "
                + e.getFailed().getRound()
                + ": "
                + reason
                + ": "
                + e.getFailed().getMessage();
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private boolean live() {
    return spec != null && !terminal();
  }

  private Round round(int number) {
    return rounds.computeIfAbsent(number, Round::new);
  }

  /** Whether the campaign exists (its creation was applied). */
  public boolean exists() {
    return spec != null;
  }

  public CampaignSpec spec() {
    return spec;
  }

  public CampaignState state() {
    return state;
  }

  /** Whether the campaign has ended (completed, cancelled or failed). */
  public boolean terminal() {
    return state == CampaignState.CAMPAIGN_STATE_COMPLETED
        || state == CampaignState.CAMPAIGN_STATE_CANCELLED
        || state == CampaignState.CAMPAIGN_STATE_FAILED;
  }

  public boolean running() {
    return state == CampaignState.CAMPAIGN_STATE_RUNNING;
  }

  /** The stable reason of the last state change, completion or failure. */
  public synchronized String reason() {
    return reason;
  }

  /** Set when the campaign has ended: what happened. */
  public synchronized String endMessage() {
    return endMessage;
  }

  public synchronized Instant createdAt() {
    return createdAt;
  }

  public synchronized Instant updatedAt() {
    return updatedAt;
  }

  /** What the loop is waiting for (not persisted). */
  public String status() {
    return status;
  }

  public void status(String status) {
    this.status = status;
  }

  /** Marks that the scores of the current round's model are in and the next selection runs. */
  public void scoresReady(boolean ready) {
    this.scoresReady = ready;
  }

  /** Every round so far, by number. */
  public synchronized List<Round> rounds() {
    return new ArrayList<>(rounds.values());
  }

  public synchronized Round round(int number, boolean create) {
    return create ? round(number) : rounds.get(number);
  }

  /** The highest round with a selection, or null before the initial selection. */
  public synchronized Round current() {
    for (Round r : rounds.descendingMap().values()) {
      if (r.selected != null) {
        return r;
      }
    }
    return null;
  }

  /** Every image selected so far. */
  public synchronized Set<String> selectedIds() {
    return Set.copyOf(selectedIds);
  }

  /** Labels pinned by the rounds' RoundLabelled events, in round then selection order. */
  public synchronized Map<String, Integer> labels() {
    return new LinkedHashMap<>(labels);
  }

  /** Labels of rounds before {@code round}, in round then selection order. */
  public synchronized List<LabelledImage> labelsBefore(int round) {
    List<LabelledImage> out = new ArrayList<>();
    for (Round r : rounds.headMap(round, false).values()) {
      if (r.labelled != null) {
        out.addAll(r.labelled.getLabelsList());
      }
    }
    return out;
  }

  /** The ids selected in rounds before {@code round}. */
  public synchronized Set<String> selectedIdsBefore(int round) {
    Set<String> out = new HashSet<>();
    for (Round r : rounds.headMap(round, false).values()) {
      if (r.selected != null) {
        r.selected.getImagesList().forEach(i -> out.add(i.getImageId()));
      }
    }
    return out;
  }

  /**
   * Images labelled in rounds before {@code round}: their selections less the images no vendor
   * answered (a round not labelled yet counts its whole selection).
   */
  public synchronized int labelledBefore(int round) {
    int n = 0;
    for (Round r : rounds.headMap(round, false).values()) {
      if (r.labelled != null) {
        n += r.labelled.getLabelsCount();
      } else if (r.selected != null) {
        n += r.selected.getImagesCount();
      }
    }
    return n;
  }

  /** Images of rounds before {@code round} that no vendor answered (back in the pool). */
  public synchronized Set<String> unansweredBefore(int round) {
    Set<String> out = new HashSet<>();
    for (Round r : rounds.headMap(round, false).values()) {
      if (r.labelled != null) {
        out.addAll(r.labelled.getUnansweredList());
      }
    }
    return out;
  }

  /** Where the loop stands. */
  public synchronized Phase phase() {
    if (terminal() || spec == null) {
      return Phase.DONE;
    }
    Round r = current();
    if (r == null) {
      return Phase.SELECTING;
    }
    if (r.labelled == null) {
      return Phase.LABELLING;
    }
    if (r.evaluated == null) {
      return Phase.TRAINING;
    }
    return scoresReady ? Phase.SELECTING : Phase.SCORING;
  }
}
