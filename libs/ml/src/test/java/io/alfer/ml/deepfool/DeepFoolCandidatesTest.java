package io.alfer.ml.deepfool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeepFoolCandidatesTest {
  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("img-%03d".formatted(i));
    }
    return ids;
  }

  @Test
  void zeroOrAtLeastTheUnlabelledCountTakesEveryImage() {
    List<String> ids = ids(10);
    assertThat(DeepFoolCandidates.choose(ids, 0, 7)).isEqualTo(ids);
    assertThat(DeepFoolCandidates.choose(ids, 10, 7)).isEqualTo(ids);
    assertThat(DeepFoolCandidates.choose(ids, 11, 7)).isEqualTo(ids);
    assertThat(DeepFoolCandidates.choose(List.of(), 5, 7)).isEmpty();
  }

  @Test
  void aSubsetIsDistinctAscendingAndFixedByTheSeed() {
    List<String> ids = ids(100);
    List<String> chosen = DeepFoolCandidates.choose(ids, 17, 42);
    assertThat(chosen).hasSize(17).doesNotHaveDuplicates().isSorted();
    assertThat(ids).containsAll(chosen);
    assertThat(DeepFoolCandidates.choose(ids, 17, 42)).isEqualTo(chosen);
    assertThat(DeepFoolCandidates.choose(ids, 17, 43)).isNotEqualTo(chosen);
  }

  @Test
  void followsTheDocumentedRule() {
    // the rule as the javadoc states it, written out independently
    List<String> ids = ids(50);
    for (long seed : new long[] {0, 1, 5, -3, 1L << 40}) {
      int k = 12;
      Random r = new Random(seed);
      int[] a = new int[ids.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = i;
      }
      for (int i = 0; i < k; i++) {
        int j = i + r.nextInt(a.length - i);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      Set<String> expected = new TreeSet<>();
      for (int i = 0; i < k; i++) {
        expected.add(ids.get(a[i]));
      }
      assertThat(DeepFoolCandidates.choose(ids, k, seed)).containsExactlyElementsOf(expected);
    }
    // pinned, so that a change of the rule cannot go unnoticed
    assertThat(DeepFoolCandidates.positions(10, 3, 1)).containsExactly(0, 2, 5);
  }

  @Test
  void everyImageIsEquallyLikelyToBeACandidate() {
    int n = 20;
    int k = 5;
    int draws = 4000;
    int[] hits = new int[n];
    for (int seed = 0; seed < draws; seed++) {
      for (int p : DeepFoolCandidates.positions(n, k, seed)) {
        hits[p]++;
      }
    }
    for (int count : hits) {
      // expected draws·k/n = 1000, standard deviation ≈ 27
      assertThat((double) count).isCloseTo(1000.0, within(130.0));
    }
  }

  @Test
  void refusesUnsortedOrRepeatedIdsAndNegativeCounts() {
    assertThatThrownBy(() -> DeepFoolCandidates.choose(List.of("b", "a"), 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("strictly ascending")
        .hasMessageContaining("'b' comes before 'a'");
    assertThatThrownBy(() -> DeepFoolCandidates.choose(List.of("a", "a"), 1, 0))
        .hasMessageContaining("strictly ascending");
    assertThatThrownBy(() -> DeepFoolCandidates.choose(ids(3), -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candidates must be >= 0");
  }
}
