package io.alfer.label.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reconciles the annotations of one image within a campaign. Majority vote until every annotator of
 * the image has a history of at least {@code minHistory} annotations in the campaign; then
 * Dawid-Skene, with the annotator model fitted on all of the campaign's annotations and refitted
 * after every {@code refitEvery} new ones. Not thread-safe: the caller serialises access.
 */
public final class Consensus {
  /** Method name of the plurality vote. */
  public static final String MAJORITY = "majority";

  /** Method name of Dawid-Skene. */
  public static final String DAWID_SKENE = "dawid-skene";

  private final int classes;
  private final int minHistory;
  private final int refitEvery;
  private final Map<String, List<Vote>> votesByItem = new LinkedHashMap<>();
  private final Map<String, Integer> history = new HashMap<>();
  private DawidSkene.Model model;
  private int sinceFit;

  public Consensus(int classes, int minHistory, int refitEvery) {
    this.classes = classes;
    this.minHistory = minHistory;
    this.refitEvery = Math.max(1, refitEvery);
  }

  /** Records an accepted annotation of an item (an image of the campaign). */
  public void add(String item, Vote vote) {
    votesByItem.computeIfAbsent(item, i -> new ArrayList<>()).add(vote);
    history.merge(vote.annotator(), 1, Integer::sum);
    sinceFit++;
  }

  /** The label of an item from its votes; the item needs at least one vote. */
  public Decision decide(String item) {
    List<Vote> votes = votesByItem.getOrDefault(item, List.of());
    boolean experienced =
        votes.size() > 1
            && votes.stream().allMatch(v -> history.getOrDefault(v.annotator(), 0) >= minHistory);
    if (!experienced) {
      return MajorityVote.decide(votes, classes);
    }
    if (model == null || sinceFit >= refitEvery) {
      model = DawidSkene.fit(new ArrayList<>(votesByItem.values()), classes);
      sinceFit = 0;
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
}
