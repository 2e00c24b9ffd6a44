package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.GradientSpace;
import io.alfer.al.kernel.NearestCentres;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code badge}: Batch Active learning by Diverse Gradient Embeddings (Ash et al. 2020). Each
 * unlabelled item is represented by the gradient of the cross-entropy loss, under its predicted
 * label, with respect to the head's weights ({@link GradientSpace}; never materialised); the batch
 * is a k-means++ seeding of those vectors: the first is the largest gradient, each next one is
 * drawn with probability proportional to its squared distance to the nearest chosen one. Score =
 * that squared distance when drawn (the squared gradient norm for the first). If every remaining
 * gradient coincides with a chosen one, the rest is a seeded uniform draw with score 0. No
 * parameters.
 */
public final class BadgeStrategy extends BaseStrategy {
  public BadgeStrategy(Parameters parameters) {
    super("badge", parameters, Set.of(Input.EMBEDDINGS, Input.PROBABILITIES));
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    GradientSpace space =
        new GradientSpace(pool.embeddings(), pool.probabilities(), pool.unlabelledRows());
    NearestCentres centres = new NearestCentres(space);
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] chosen = new boolean[space.size()];
    List<Pick> picks = new ArrayList<>(count);
    int first = 0;
    for (int k = 1; k < space.size(); k++) {
      if (space.squaredNorm(k) > space.squaredNorm(first)) {
        first = k;
      }
    }
    double score = space.squaredNorm(first);
    int next = first;
    while (true) {
      picks.add(new Pick(pool.id(space.row(next)), space.row(next), score));
      chosen[next] = true;
      if (picks.size() == count) {
        return picks;
      }
      centres.add(next);
      next = centres.sample(random, chosen);
      if (next < 0) {
        next = uniformUnchosen(chosen, random);
        score = 0.0;
      } else {
        score = centres.minSquaredDistance(next);
      }
    }
  }

  private static int uniformUnchosen(boolean[] chosen, SplittableRandom random) {
    int remaining = 0;
    for (boolean c : chosen) {
      remaining += c ? 0 : 1;
    }
    int target = random.nextInt(remaining);
    for (int k = 0; k < chosen.length; k++) {
      if (!chosen[k] && target-- == 0) {
        return k;
      }
    }
    throw new IllegalStateException("no unchosen point left");
  }
}
