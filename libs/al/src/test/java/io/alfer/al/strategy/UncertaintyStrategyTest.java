package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Selection;
import org.junit.jupiter.api.Test;

class UncertaintyStrategyTest {
  // a: a coin flip between two classes; b: flat-ish over four; c: fairly confident; d: labelled
  private final Pool pool =
      Pool.builder(Pools.ids(4), new boolean[] {false, false, false, true})
          .probabilities(
              Matrix.ofRows(
                  new float[] {0.5f, 0.5f, 0f, 0f},
                  new float[] {0.4f, 0.2f, 0.2f, 0.2f},
                  new float[] {0.7f, 0.1f, 0.1f, 0.1f},
                  new float[] {0.25f, 0.25f, 0.25f, 0.25f}))
          .build();

  @Test
  void entropyRanksTheFlattestFirst() {
    Selection s = Strategies.create("entropy").select(pool, 3, 0);
    assertThat(s.ids()).containsExactly("r1", "r2", "r0");
    assertThat(s.picks().get(0).score())
        .isCloseTo(-0.4 * Math.log(0.4) - 3 * 0.2 * Math.log(0.2), within(1e-6));
    assertThat(s.picks().get(2).score()).isCloseTo(Math.log(2), within(1e-6));
  }

  @Test
  void marginRanksTheSmallestGapFirst() {
    Selection s = Strategies.create("margin").select(pool, 3, 0);
    assertThat(s.ids()).containsExactly("r0", "r1", "r2");
    assertThat(s.picks().get(0).score()).isZero();
    assertThat(s.picks().get(1).score()).isCloseTo(0.2, within(1e-6));
    assertThat(s.picks().get(2).score()).isCloseTo(0.6, within(1e-6));
  }

  @Test
  void leastConfidenceRanksTheLowestTopProbabilityFirst() {
    Selection s = Strategies.create("least-confidence").select(pool, 2, 0);
    assertThat(s.ids()).containsExactly("r1", "r0");
    assertThat(s.picks().get(0).score()).isCloseTo(0.6, within(1e-6));
  }
}
