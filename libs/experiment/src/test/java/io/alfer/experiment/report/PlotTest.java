package io.alfer.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlotTest {
  @Test
  void tickLabelsCarryTheDecimalsTheirStepNeeds() {
    // accuracies between 0.18 and 0.25 get ticks 0.01 apart: every label must differ
    double[] ticks = Plot.ticks(0.184, 0.249, 8);
    double step = ticks[1] - ticks[0];
    assertThat(step).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(Plot.format(ticks[0], step)).isEqualTo("0.18");
    assertThat(Plot.format(ticks[ticks.length - 1], step)).isEqualTo("0.25");
    assertThat(java.util.Arrays.stream(ticks).mapToObj(t -> Plot.format(t, step)).distinct())
        .hasSize(ticks.length);
    assertThat(Plot.format(20, 5)).isEqualTo("20");
    assertThat(Plot.format(2.5, 0.5)).isEqualTo("2.5");
  }
}
