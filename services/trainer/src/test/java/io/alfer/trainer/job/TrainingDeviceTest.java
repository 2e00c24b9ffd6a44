package io.alfer.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Choosing the device from the setting and what the engine sees. */
class TrainingDeviceTest {
  @Test
  void autoFollowsTheEngine() {
    assertThat(TrainingDevice.resolve("auto", 0)).isEqualTo("cpu");
    assertThat(TrainingDevice.resolve("AUTO", 2)).isEqualTo("gpu");
  }

  @Test
  void explicitSettingsAreHonouredOrRefusedWithTheReason() {
    assertThat(TrainingDevice.resolve("cpu", 0)).isEqualTo("cpu");
    assertThat(TrainingDevice.resolve("gpu", 1)).isEqualTo("gpu");
    assertThatThrownBy(() -> TrainingDevice.resolve("gpu", 0))
        .hasMessageContaining("sees no CUDA device");
    assertThatThrownBy(() -> TrainingDevice.resolve("cpu", 1))
        .hasMessageContaining("CUDA_VISIBLE_DEVICES");
    assertThatThrownBy(() -> TrainingDevice.resolve("tpu", 0))
        .hasMessageContaining("must be auto, cpu or gpu");
  }
}
