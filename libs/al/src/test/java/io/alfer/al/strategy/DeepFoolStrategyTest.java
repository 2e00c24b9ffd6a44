package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Strategies;
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
}
