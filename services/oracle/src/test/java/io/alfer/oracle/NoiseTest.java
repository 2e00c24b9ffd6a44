package io.alfer.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.oracle.answer.Noise;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NoiseTest {
  @Test
  void noErrorsAnswersTheTruthAndFullErrorsAlwaysAnotherClass() {
    for (int i = 0; i < 200; i++) {
      assertThat(Noise.answer(i % 7, 7, 0.0, 1, "t" + i)).isEqualTo(i % 7);
      int wrong = Noise.answer(i % 7, 7, 1.0, 1, "t" + i);
      assertThat(wrong).isNotEqualTo(i % 7).isBetween(0, 6);
    }
  }

  @Test
  void theErrorRateHoldsAndTheDrawsAreReproducible() {
    long flipped =
        IntStream.range(0, 5000).filter(i -> Noise.answer(3, 7, 0.2, 42, "task-" + i) != 3).count();
    assertThat(flipped).isBetween(850L, 1150L);
    assertThat(Noise.answer(3, 7, 0.5, 42, "task-9"))
        .isEqualTo(Noise.answer(3, 7, 0.5, 42, "task-9"));
  }
}
