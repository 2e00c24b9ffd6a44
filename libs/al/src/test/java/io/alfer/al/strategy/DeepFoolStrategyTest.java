package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.al.Pool;
import io.alfer.al.Pools;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeepFoolStrategyTest {
  @Test
  void smallestPerturbationFirst() {
    Pool pool =
        Pool.builder(Pools.ids(4), new boolean[] {false, true, false, false})
            .perturbations(new float[] {0.3f, 0.01f, 0.05f, 0.2f})
            .build();
    assertThat(Strategies.create("deepfool").select(pool, 2, 0).ids()).containsExactly("r2", "r3");
  }

  @Test
  void missingPerturbationOfAnUnlabelledItemIsNamed() {
    Pool pool =
        Pool.builder(Pools.ids(2), new boolean[2])
            .perturbations(new float[] {0.3f, Float.NaN})
            .build();
    assertThatThrownBy(() -> Strategies.create("deepfool").select(pool, 1, 0))
        .hasMessageContaining("perturbation of unlabelled item 'r1' is NaN");
  }

  @Test
  void candidatesDefaultToEveryImageAndAreRecordedInTheParameters() {
    assertThat(Strategies.create("deepfool").parameters()).containsEntry("candidates", "0");
    DeepFoolStrategy limited =
        (DeepFoolStrategy) Strategies.create("deepfool", Map.of("candidates", "500"));
    assertThat(limited.candidates()).isEqualTo(500);
    assertThat(limited.parameters()).containsEntry("candidates", "500");
    assertThat(Strategies.parameters("deepfool"))
        .singleElement()
        .satisfies(p -> assertThat(p.name()).isEqualTo("candidates"));
  }

  @Test
  void aPoolOfCandidatesSelectsItsFullBudget() {
    // 2 labelled rows, 3 candidates with sizes: budget 3 = candidates, all three, smallest first
    Pool pool =
        Pool.builder(Pools.ids(5), new boolean[] {true, false, false, true, false})
            .perturbations(new float[] {Float.NaN, 0.4f, 0.1f, Float.NaN, 0.2f})
            .build();
    assertThat(Strategies.create("deepfool", Map.of("candidates", "3")).select(pool, 3, 1).ids())
        .containsExactly("r2", "r4", "r1");
  }

  @Test
  void aPoolWithMoreUnlabelledItemsThanCandidatesIsRefused() {
    Pool pool =
        Pool.builder(Pools.ids(4), new boolean[4])
            .perturbations(new float[] {0.3f, 0.1f, 0.2f, 0.4f})
            .build();
    assertThatThrownBy(
            () -> Strategies.create("deepfool", Map.of("candidates", "3")).select(pool, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 unlabelled items but deepfool runs with candidates=3");
  }

  @Test
  void malformedCandidatesAreNamed() {
    assertThatThrownBy(() -> Strategies.create("deepfool", Map.of("candidates", "-1")))
        .hasMessageContaining("parameter 'candidates' must be an integer in [0, ");
    assertThatThrownBy(() -> Strategies.create("deepfool", Map.of("candidates", "many")))
        .hasMessageContaining("parameter 'candidates' must be an integer, got 'many'");
  }
}
