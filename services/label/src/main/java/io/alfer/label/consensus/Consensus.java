package io.alfer.label.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reconciles the annotations of one image within a campaign. Majority vote until every annotator of
 * the image has a history of at least {@code minHistory} annotations in the campaign; then
 * Dawid-Skene, with the annotator model fitted on all of the campaign's annotations. The model is
 * fitted again once the annotations since the last fit reach both {@code refitEvery} and {@code
 * refitGrowth} times the campaign's annotations: the gaps grow with the campaign, so the fits of a
 * campaign of N annotations handle O(N) annotations in all, not O(N²). Not thread-safe: the caller
 * serialises access.
 */
public final class Consensus {
  /** Method name of the plurality vote. */
  public static final String MAJORITY = "majority";

  /** Method name of Dawid-Skene. */
  public static final String DAWID_SKENE = "dawid-skene";

  /**
   * When Dawid-Skene takes over from the majority vote and when it is fitted again.
   *
   * @param minHistory annotations in the campaign every annotator of an image needs first
   * @param refitEvery new annotations, at least, between two fits
   * @param refitGrowth new annotations between two fits, at least, as a share of the campaign's
   *     annotations, in [0, 1); 0 refits every {@code refitEvery}
   * @param prior the pseudo-counts of every fit (see {@link DawidSkene})
   */
  public record Settings(
      int minHistory, int refitEvery, double refitGrowth, DawidSkene.Prior prior) {
    public Settings {
      if (!(refitGrowth >= 0 && refitGrowth < 1)) {
        throw new IllegalArgumentException("refit-growth must be in [0, 1): " + refitGrowth);
      }
      refitEvery = Math.max(1, refitEvery);
    }
  }

  private final int classes;
  private final Settings settings;
  private final Runnable onFit;
  private final Map<String, List<Vote>> votesByItem = new LinkedHashMap<>();
  private final Map<String, Integer> history = new HashMap<>();
  private DawidSkene.Model model;
  private long annotations;
  private long sinceFit;
  private int fits;
  private long annotationsFitted;

  /**
   * @param onFit called after every fit of the annotator model (for a metric)
   */
  public Consensus(int classes, Settings settings, Runnable onFit) {
    this.classes = classes;
    this.settings = settings;
    this.onFit = onFit;
  }

  public Consensus(int classes, Settings settings) {
    this(classes, settings, () -> {});
  }

  /** Records an accepted annotation of an item (an image of the campaign). */
  public void add(String item, Vote vote) {
    votesByItem.computeIfAbsent(item, i -> new ArrayList<>()).add(vote);
    history.merge(vote.annotator(), 1, Integer::sum);
    annotations++;
    sinceFit++;
  }

  /** The label of an item from its votes; the item needs at least one vote. */
  public Decision decide(String item) {
    List<Vote> votes = votesByItem.getOrDefault(item, List.of());
    boolean experienced =
        votes.size() > 1
            && votes.stream()
                .allMatch(v -> history.getOrDefault(v.annotator(), 0) >= settings.minHistory());
    if (!experienced) {
      return MajorityVote.decide(votes, classes);
    }
    if (model == null || refitDue()) {
      model = DawidSkene.fit(new ArrayList<>(votesByItem.values()), classes, settings.prior());
      sinceFit = 0;
      fits++;
      annotationsFitted += annotations;
      onFit.run();
    }
    if (!votes.stream().allMatch(v -> model.knows(v.annotator()))) {
      return MajorityVote.decide(votes, classes);
    }
    double[] posterior = model.posterior(votes);
    int best = 0;
    for (int k = 1; k < classes; k++) {
      if (posterior[k] > posterior[best]) {
        best = k;
      }
    }
    return new Decision(best, posterior[best], DAWID_SKENE);
  }

  private boolean refitDue() {
    return sinceFit >= settings.refitEvery() && sinceFit >= settings.refitGrowth() * annotations;
  }

  /** Fits of the annotator model so far. */
  int fits() {
    return fits;
  }

  /** Annotations the fits so far were fitted on, summed over the fits: the work they did. */
  long annotationsFitted() {
    return annotationsFitted;
  }
}
