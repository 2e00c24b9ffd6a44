package io.alfer.select.api;

import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.CampaignState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionProvenance;
import io.alfer.select.campaign.Campaign;
import io.alfer.select.inputs.Inputs;
import io.alfer.select.metrics.SelectMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A campaign as the API shows it.
 *
 * @param campaignId id
 * @param state running, paused, cancelled, completed or failed
 * @param phase selecting, labelling, training, scoring or done
 * @param message what the loop waits for, or how the campaign ended
 * @param spec what it was created with, and the sizes they resolved to
 * @param labelledTotal labels received for the campaign's selected images
 * @param createdAt creation time
 * @param updatedAt time of the last event
 * @param rounds every round so far
 */
public record CampaignView(
    String campaignId,
    String state,
    String phase,
    String message,
    SpecView spec,
    int labelledTotal,
    Instant createdAt,
    Instant updatedAt,
    List<RoundView> rounds) {

  /**
   * The campaign's spec.
   *
   * @param campaignId id
   * @param dataset dataset
   * @param strategy strategy of rounds ≥ 1
   * @param strategyParameters its parameters as given
   * @param initialStrategy strategy of round 0
   * @param initialSize initial size as given (0: by fraction)
   * @param initialFraction initial fraction as given
   * @param budgetPerRound budget as given (0: by fraction)
   * @param budgetFraction budget fraction as given
   * @param rounds selection rounds after the initial set
   * @param totalBudget label cap (0 = none)
   * @param baseModelId base encoder, empty = from scratch
   * @param finetunePreset fine-tuning preset (empty = trainer default)
   * @param encoderPreset encoder preset (empty = trainer default)
   * @param finetuneMaxEpochs epoch cap (0 = preset's)
   * @param seed seed
   * @param vendors vendors (empty = label service default)
   * @param annotationsPerImage annotations per image
   * @param onUnanswered skip or reassign: what happens to an image no vendor answers
   * @param poolSize pool images when the campaign was created
   * @param resolvedInitialSize the initial set's size
   * @param resolvedBudgetPerRound images per round (before the total-budget cut)
   */
  public record SpecView(
      String campaignId,
      String dataset,
      String strategy,
      Map<String, String> strategyParameters,
      String initialStrategy,
      int initialSize,
      double initialFraction,
      int budgetPerRound,
      double budgetFraction,
      int rounds,
      int totalBudget,
      String baseModelId,
      String finetunePreset,
      String encoderPreset,
      int finetuneMaxEpochs,
      long seed,
      List<String> vendors,
      int annotationsPerImage,
      String onUnanswered,
      int poolSize,
      int resolvedInitialSize,
      int resolvedBudgetPerRound) {
    static SpecView of(CampaignSpec s) {
      return new SpecView(
          s.getCampaignId(),
          s.getDataset(),
          s.getStrategy(),
          new TreeMap<>(s.getStrategyParametersMap()),
          s.getInitialStrategy(),
          s.getInitialSize(),
          s.getInitialFraction(),
          s.getBudgetPerRound(),
          s.getBudgetFraction(),
          s.getRounds(),
          s.getTotalBudget(),
          s.getBaseModelId(),
          s.getFinetunePreset(),
          s.getEncoderPreset(),
          s.getFinetuneMaxEpochs(),
          s.getSeed(),
          List.copyOf(s.getVendorsList()),
          s.getAnnotationsPerImage(),
          CampaignService.unansweredPolicyName(s.getOnUnanswered()),
          s.getResolved().getPoolSize(),
          s.getResolved().getInitialSize(),
          s.getResolved().getBudgetPerRound());
    }
  }

  /**
   * One round.
   *
   * @param round number, 0 = the initial set
   * @param selected the batch in selection order, with scores
   * @param labelled labels received for the batch so far
   * @param selectedCount images selected (the length of {@code selected}, also in a summary)
   * @param unanswered images of the batch no vendor answered (back in the pool), in selection order
   * @param unansweredCount images no vendor answered (also in a summary)
   * @param labelledTotal labelled images of the campaign with this round's, once all are in
   * @param trainingJobId the fine-tuning job, once requested
   * @param modelId the round's classifier, once announced
   * @param testAccuracy its held-out accuracy
   * @param perClassAccuracy its held-out accuracy per class, in taxonomy order
   * @param provenance how the batch was chosen
   */
  public record RoundView(
      int round,
      List<PickView> selected,
      int selectedCount,
      int labelled,
      List<String> unanswered,
      int unansweredCount,
      Integer labelledTotal,
      String trainingJobId,
      String modelId,
      Double testAccuracy,
      List<Double> perClassAccuracy,
      ProvenanceView provenance) {}

  /**
   * A selected image.
   *
   * @param imageId image
   * @param score the strategy's score
   */
  public record PickView(String imageId, double score) {}

  /**
   * Everything needed to recompute a selection.
   *
   * @param modelId model scored (empty: the initial random selection)
   * @param embeddingsRef where its pool embeddings live
   * @param strategy strategy
   * @param parameters every parameter, defaults included
   * @param seed seed
   * @param seconds time the strategy took
   * @param poolIds object holding the pool's ids in row order
   * @param poolRows rows of the pool
   */
  public record ProvenanceView(
      String modelId,
      String embeddingsRef,
      String strategy,
      Map<String, String> parameters,
      long seed,
      double seconds,
      String poolIds,
      int poolRows) {}

  /** The view of a campaign, with live label counts from {@code inputs}. */
  public static CampaignView of(Campaign c, Inputs inputs) {
    return of(c, inputs, false);
  }

  /**
   * The view of a campaign; a {@code summary} leaves out what grows with the pool — each round's
   * {@code selected}, {@code unanswered} and {@code provenance} are null, their counts stay — and
   * does not look at a finished round's picks one by one.
   */
  public static CampaignView of(Campaign c, Inputs inputs, boolean summary) {
    List<RoundView> rounds = new ArrayList<>();
    int labelled = 0;
    for (Campaign.Round r : c.rounds()) {
      if (r.selected() == null) {
        continue;
      }
      RoundView v = round(c, r, inputs, summary);
      labelled += v.labelled();
      rounds.add(v);
    }
    CampaignState state = c.state();
    String message;
    if (c.terminal()) {
      message = c.endMessage();
    } else if (state == CampaignState.CAMPAIGN_STATE_PAUSED) {
      message = c.reason().isEmpty() ? "paused" : "paused: " + c.reason();
    } else {
      message = c.status();
    }
    return new CampaignView(
        c.id(),
        SelectMetrics.stateName(state),
        c.phase().apiName(),
        message,
        SpecView.of(c.spec()),
        labelled,
        c.createdAt(),
        c.updatedAt(),
        rounds);
  }

  /** The view of one round. */
  public static RoundView round(Campaign c, Campaign.Round r, Inputs inputs) {
    return round(c, r, inputs, false);
  }

  /**
   * One round's view; a {@code summary} without its ids: see {@link #of(Campaign, Inputs,
   * boolean)}.
   */
  private static RoundView round(Campaign c, Campaign.Round r, Inputs inputs, boolean summary) {
    RoundSelected s = r.selected();
    Progress progress = progress(c, r, inputs);
    return new RoundView(
        r.number(),
        summary
            ? null
            : s.getImagesList().stream()
                .map(i -> new PickView(i.getImageId(), i.getScore()))
                .toList(),
        s.getImagesCount(),
        progress.labelled(),
        summary ? null : progress.unanswered(),
        progress.unanswered().size(),
        r.labelled() == null ? null : r.labelled().getLabelledTotal(),
        r.training() == null ? null : r.training().getJobId(),
        r.evaluated() == null ? null : r.evaluated().getModelId(),
        r.evaluated() == null ? null : r.evaluated().getTestAccuracy(),
        r.evaluated() == null ? null : List.copyOf(r.evaluated().getPerClassAccuracyList()),
        summary ? null : provenance(s));
  }

  private static ProvenanceView provenance(RoundSelected s) {
    SelectionProvenance p = s.getProvenance();
    return new ProvenanceView(
        p.getModelId(),
        p.getEmbeddingsRef(),
        p.getStrategy(),
        new TreeMap<>(p.getParametersMap()),
        p.getSeed(),
        p.getSeconds(),
        s.getPoolIds().getKey(),
        s.getPoolRows());
  }

  /** A round's labels in and images no vendor answered, in selection order. */
  private record Progress(int labelled, List<String> unanswered) {}

  /**
   * What a round's labelling has come to: as recorded once all labels are in, or (in progress)
   * counted from the labels received so far.
   */
  private static Progress progress(Campaign c, Campaign.Round r, Inputs inputs) {
    if (r.labelled() != null) {
      return new Progress(
          r.labelled().getLabelsCount(), List.copyOf(r.labelled().getUnansweredList()));
    }
    int labelled = 0;
    List<String> unanswered = new ArrayList<>();
    for (SelectedImage image : r.selected().getImagesList()) {
      Optional<LabelAssigned> label = inputs.label(c.id(), image.getImageId());
      if (label.isEmpty()) {
        continue;
      }
      if (label.get().getOutcome() != LabelOutcome.LABEL_OUTCOME_UNANSWERED) {
        labelled++;
      } else if (label.get().getRound() == r.number()) {
        unanswered.add(image.getImageId());
      }
    }
    return new Progress(labelled, unanswered);
  }
}
