package io.alfer.al.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.strategy.Strategies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The determinism contract an in-process experiment runner reproduces. */
class CampaignRulesTest {

  @Test
  void thePoolOrderIsStringCompareToAscendingWhateverTheInputOrder() {
    List<String> ids = new ArrayList<>(List.of("b", "a10", "a2", "B", "a1", "_x", "0"));
    Collections.shuffle(ids, new Random(3));
    assertThat(CampaignRules.poolOrder(ids))
        .containsExactly("0", "B", "_x", "a1", "a10", "a2", "b");
  }

  @Test
  void anAbsoluteSizeWinsElseTheFractionIsRoundedHalfUp() {
    assertThat(CampaignRules.size(7, 0.5, 100)).isEqualTo(7);
    assertThat(CampaignRules.size(0, 0.1, 1234)).isEqualTo(123); // 123.4
    assertThat(CampaignRules.size(0, 0.05, 30)).isEqualTo(2); // 1.5 rounds up
    assertThat(CampaignRules.size(0, 0.05, 29)).isEqualTo(1); // 1.45
    assertThat(CampaignRules.size(0, 0.0, 29)).isZero();
    assertThat(CampaignRules.size(0, 1.0, 29)).isEqualTo(29);
  }

  @Test
  void deepFoolCandidatesComeFromTheStrategyParameterAndAreZeroElsewhere() {
    assertThat(CampaignRules.deepFoolCandidates("deepfool", Map.of())).isZero();
    assertThat(CampaignRules.deepFoolCandidates("deepfool", Map.of("candidates", " 250")))
        .isEqualTo(250);
    assertThat(CampaignRules.deepFoolCandidates("entropy", Map.of())).isZero();
  }

  @Test
  void roundRSelectsWithSeedPlusR() {
    assertThat(CampaignRules.roundSeed(42, 0)).isEqualTo(42);
    assertThat(CampaignRules.roundSeed(42, 3)).isEqualTo(45);
    assertThat(CampaignRules.roundSeed(-1, 1)).isZero();
  }

  @Test
  void theTotalBudgetCutsTheRoundThatWouldPassIt() {
    assertThat(CampaignRules.roundBudget(5, 0, 1_000)).isEqualTo(5);
    assertThat(CampaignRules.roundBudget(5, 12, 4)).isEqualTo(5);
    assertThat(CampaignRules.roundBudget(5, 12, 9)).isEqualTo(3);
    assertThat(CampaignRules.roundBudget(5, 12, 12)).isZero();
    assertThat(CampaignRules.roundBudget(5, 12, 15)).isZero();
  }

  @Test
  void jobIdsAreCampaignDashRRound() {
    assertThat(CampaignRules.jobId("c-1", 0)).isEqualTo("c-1-r0");
    assertThat(CampaignRules.jobId("c-1", 12)).isEqualTo("c-1-r12");
  }

  @Test
  void theInitialRandomSelectionIsTheRandomStrategyOnTheSortedUnlabelledPool() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(Integer.toHexString(i * 7919));
    }
    List<String> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled, new Random(1));

    Selection s = CampaignRules.initialRandom(shuffled, 20, 42);
    Selection again = CampaignRules.initialRandom(ids, 20, 42);

    // What the experiment runner does, spelled out.
    String[] sorted = ids.toArray(new String[0]);
    java.util.Arrays.sort(sorted);
    Selection expected =
        Strategies.create("random", Map.of())
            .select(Pool.builder(sorted, new boolean[sorted.length]).build(), 20, 42);

    assertThat(s.ids()).hasSize(20).doesNotHaveDuplicates().isEqualTo(expected.ids());
    assertThat(again.ids()).isEqualTo(s.ids());
    assertThat(s.picks()).extracting(Pick::row).allMatch(r -> r >= 0 && r < 200);
    assertThat(s.picks()).allSatisfy(p -> assertThat(sorted[p.row()]).isEqualTo(p.id()));
    assertThat(CampaignRules.initialRandom(ids, 20, 43).ids()).isNotEqualTo(s.ids());
    assertThat(s.strategy()).isEqualTo("random");
    assertThat(s.seed()).isEqualTo(42);
  }

  @Test
  void aColdStartSetIsTheStrategyOnTheSortedPoolWithItsEmbeddingsAndUnsortedIdsAreRefused() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(String.format("img-%03d", i));
    }
    float[] embeddings = new float[60 * 4];
    Random random = new Random(5);
    for (int i = 0; i < embeddings.length; i++) {
      embeddings[i] = (float) random.nextGaussian() + (i / 4 % 3) * 4f;
    }
    List<String> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled, new Random(9));

    Selection s = CampaignRules.initialColdStart("typiclust", Map.of(), ids, embeddings, 4, 6, 11L);
    Selection expected =
        Strategies.create("typiclust", Map.of())
            .select(
                Pool.builder(ids.toArray(String[]::new), new boolean[60])
                    .embeddings(new io.alfer.al.Matrix(embeddings, 60, 4))
                    .build(),
                6,
                11L);

    assertThat(s.ids()).hasSize(6).isEqualTo(expected.ids());
    assertThat(
            CampaignRules.initialColdStart("typiclust", Map.of(), ids, embeddings, 4, 6, 12L).ids())
        .hasSize(6);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                CampaignRules.initialColdStart(
                    "typiclust", Map.of(), shuffled, embeddings, 4, 6, 11L))
        .hasMessageContaining("pool order");
  }
}
