package io.alfer.ml.deepfool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Which unlabelled images a DeepFool round attacks when it is limited to {@code candidates} of them
 * (the {@code deepfool} strategy's {@code candidates} parameter, {@code
 * FinetuneJob.deepfool_candidates}). DeepFool through the whole network costs a forward and c − 1
 * backward passes per image and step, so on a CPU a round attacks a seeded random subset of the
 * unlabelled pool instead of all of it.
 *
 * <p>The rule, exactly (the trainer uses it; an in-process experiment runner that follows it picks
 * the same images):
 *
 * <ol>
 *   <li>the input is the unlabelled pool ids sorted ascending by {@link String#compareTo}, n of
 *       them, no duplicates;
 *   <li>if {@code candidates == 0} or {@code candidates >= n}, every id is a candidate;
 *   <li>otherwise, with {@code k = candidates}: {@code Random r = new java.util.Random(seed)} (the
 *       JDK's specified 48-bit linear congruential generator), {@code a = [0, 1, …, n − 1]}; for
 *       {@code i = 0 … k − 1}: {@code j = i + r.nextInt(n − i)}, swap {@code a[i]} and {@code a[j]}
 *       (a partial Fisher–Yates shuffle); the candidates are the ids at positions {@code a[0 … k −
 *       1]}, returned in ascending id order.
 * </ol>
 *
 * <p>The seed is the fine-tuning job's seed (the campaign seed); the unlabelled set shrinks from
 * round to round, so the rounds attack different subsets.
 */
public final class DeepFoolCandidates {
  private DeepFoolCandidates() {}

  /**
   * The candidates among {@code sortedUnlabelledIds}, in ascending order.
   *
   * @param sortedUnlabelledIds the unlabelled pool ids, strictly ascending by {@link
   *     String#compareTo}
   * @param candidates how many to attack, {@code >= 0}; 0 = all
   * @param seed the job's seed
   * @throws IllegalArgumentException if {@code candidates < 0} or the ids are not strictly
   *     ascending (unsorted or repeated)
   */
  public static List<String> choose(List<String> sortedUnlabelledIds, int candidates, long seed) {
    Objects.requireNonNull(sortedUnlabelledIds, "sortedUnlabelledIds");
    for (int i = 1; i < sortedUnlabelledIds.size(); i++) {
      String before = sortedUnlabelledIds.get(i - 1);
      String id = sortedUnlabelledIds.get(i);
      if (before.compareTo(id) >= 0) {
        throw new IllegalArgumentException(
            "the unlabelled ids must be strictly ascending: '"
                + before
                + "' comes before '"
                + id
                + "' at position "
                + i);
      }
    }
    int[] positions = positions(sortedUnlabelledIds.size(), candidates, seed);
    List<String> chosen = new ArrayList<>(positions.length);
    for (int position : positions) {
      chosen.add(sortedUnlabelledIds.get(position));
    }
    return List.copyOf(chosen);
  }

  /**
   * The positions (ascending) that {@link #choose} takes from a sorted list of {@code n} ids.
   *
   * @throws IllegalArgumentException if {@code n < 0} or {@code candidates < 0}
   */
  public static int[] positions(int n, int candidates, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (candidates < 0) {
      throw new IllegalArgumentException(
          "deepfool candidates must be >= 0 (0 = every unlabelled image), got " + candidates);
    }
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    if (candidates == 0 || candidates >= n) {
      return a;
    }
    Random random = new Random(seed);
    for (int i = 0; i < candidates; i++) {
      int j = i + random.nextInt(n - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    int[] chosen = Arrays.copyOf(a, candidates);
    Arrays.sort(chosen);
    return chosen;
  }
}
