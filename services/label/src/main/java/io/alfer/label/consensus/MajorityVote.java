package io.alfer.label.consensus;

import java.util.List;

/**
 * Plurality vote. Ties go to the class with the larger summed confidence, then to the lower class
 * index, so the outcome does not depend on the order the votes arrived in.
 */
public final class MajorityVote {
  private MajorityVote() {}

  /** The winning class of non-empty {@code votes} over {@code classes} classes. */
  public static Decision decide(List<Vote> votes, int classes) {
    if (votes.isEmpty()) {
      throw new IllegalArgumentException("no votes");
    }
    int[] counts = new int[classes];
    double[] confidence = new double[classes];
    for (Vote v : votes) {
      counts[v.label()]++;
      confidence[v.label()] += v.confidence();
    }
    int best = 0;
    for (int k = 1; k < classes; k++) {
      if (counts[k] > counts[best]
          || (counts[k] == counts[best] && confidence[k] > confidence[best])) {
        best = k;
      }
    }
    return new Decision(best, (double) counts[best] / votes.size(), Consensus.MAJORITY);
  }
}
