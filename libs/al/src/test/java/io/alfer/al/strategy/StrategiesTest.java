package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.al.ParameterSpec;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.SelectionStrategy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategiesTest {
  @Test
  void knowsTheElevenStrategies() {
    assertThat(Strategies.names())
        .containsExactly(
            "random",
            "entropy",
            "margin",
            "least-confidence",
            "bald",
            "badge",
            "glister",
            "coreset",
            "deepfool",
            "typiclust",
            "probcover");
  }

  @Test
  void unknownStrategyListsTheValidOnes() {
    assertThatThrownBy(() -> Strategies.create("kcenter"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown strategy 'kcenter'")
        .hasMessageContaining("coreset, deepfool");
  }

  @Test
  void unknownParameterListsTheValidOnes() {
    assertThatThrownBy(() -> Strategies.create("bald", Map.of("passes", "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bald' has no parameter 'passes'")
        .hasMessageContaining("valid parameters: samples, dropout");
    assertThatThrownBy(() -> Strategies.create("entropy", Map.of("k", "3")))
        .hasMessageContaining("valid parameters: none");
  }

  @Test
  void malformedOrOutOfRangeValuesNameTheParameter() {
    assertThatThrownBy(() -> Strategies.create("bald", Map.of("dropout", "1")))
        .hasMessageContaining("parameter 'dropout' must be a number in [0.0, 1.0)");
    assertThatThrownBy(() -> Strategies.create("bald", Map.of("samples", "many")))
        .hasMessageContaining("parameter 'samples' must be an integer");
    assertThatThrownBy(() -> Strategies.create("glister", Map.of("greedy", "lazy")))
        .hasMessageContaining("one of stochastic, standard");
  }

  @Test
  void parametersIncludeDefaults() {
    SelectionStrategy bald = Strategies.create("bald", Map.of("samples", "4"));
    assertThat(bald.parameters()).containsEntry("samples", "4").containsEntry("dropout", "0.5");
    assertThat(Strategies.parameters("typiclust"))
        .extracting(ParameterSpec::name)
        .containsExactly("neighbours", "min-cluster-size", "max-clusters", "max-cluster-sample");
  }

  @Test
  void missingInputIsNamed() {
    Pool pool =
        Pool.builder(Pools.ids(3), new boolean[3])
            .embeddings(Matrix.ofRows(new float[] {1}, new float[] {2}, new float[] {3}))
            .build();
    assertThatThrownBy(() -> Strategies.create("entropy").select(pool, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'entropy' needs [PROBABILITIES]")
        .hasMessageContaining("lacks [PROBABILITIES]");
  }

  @Test
  void poolRejectsInconsistentInputs() {
    assertThatThrownBy(() -> Pool.builder(new String[] {"a", "a"}, new boolean[2]))
        .hasMessageContaining("'a' appears twice");
    assertThatThrownBy(
            () ->
                Pool.builder(Pools.ids(2), new boolean[2])
                    .probabilities(
                        Matrix.ofRows(new float[] {0.5f, 0.5f}, new float[] {0.9f, 0.3f})))
        .hasMessageContaining("probabilities of 'r1' sum to");
    assertThatThrownBy(
            () ->
                Pool.builder(Pools.ids(2), new boolean[2])
                    .embeddings(Matrix.ofRows(new float[] {1}, new float[] {1}))
                    .head(new LinearHead(Matrix.ofRows(new float[] {1, 2}), new float[1]))
                    .build())
        .hasMessageContaining("head expects embeddings of dimension 2 but embeddings have 1");
    assertThatThrownBy(() -> Strategies.create("random").select(Pools.random(5, 2, 2, 0, 1), -1, 1))
        .hasMessageContaining("budget must be >= 0");
  }
}
