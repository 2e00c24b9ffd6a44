package io.alfer.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.alfer.ml.TestImages;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  private static final PackedImages IMAGES = TestImages.banded(4, 16, 2, 1);
  private static final int AREA = 16 * 16;

  @Test
  void noAugmentationIsTheNormalisedImage() {
    float[] view = view(AugmentationConfig.NONE, 3, 1);
    float[] plain = new float[AREA];
    Augmenter.plain(IMAGES, 1, Normalization.SYMMETRIC, plain, 0);
    for (int i = 0; i < AREA; i++) {
      assertThat(view[i]).isCloseTo(plain[i], within(1e-5f));
    }
    assertThat(plain[0]).isEqualTo((IMAGES.pixel(1, 0, 0) / 255f - 0.5f) / 0.5f);
  }

  @Test
  void sameRandomSameViewAndDifferentSeedsDiffer() {
    assertThat(view(AugmentationConfig.SIMCLR, 5, 0))
        .isEqualTo(view(AugmentationConfig.SIMCLR, 5, 0));
    assertThat(view(AugmentationConfig.SIMCLR, 6, 0))
        .isNotEqualTo(view(AugmentationConfig.SIMCLR, 5, 0));
  }

  @Test
  void certainFlipMirrorsTheImage() {
    AugmentationConfig flipOnly = new AugmentationConfig(1, 1, 1, 1, 1.0, 0, 0, 0, 0, 0.1, 2.0);
    float[] flipped = view(flipOnly, 1, 2);
    float[] plain = new float[AREA];
    Augmenter.plain(IMAGES, 2, Normalization.SYMMETRIC, plain, 0);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        assertThat(flipped[y * 16 + x]).isCloseTo(plain[y * 16 + 15 - x], within(1e-5f));
      }
    }
  }

  @Test
  void viewsStayInTheNormalisedPixelRange() {
    for (int seed = 0; seed < 20; seed++) {
      for (float v : view(AugmentationConfig.SIMCLR.withBlurProbability(1), seed, seed % 4)) {
        assertThat(v).isBetween(-1f, 1f);
      }
    }
  }

  @Test
  void rejectsImpossibleConfigurations() {
    assertThatThrownBy(() -> new AugmentationConfig(0.5, 0.2, 1, 1, 0, 0, 0, 0, 0, 0.1, 2))
        .hasMessageContaining("crop scale range is empty");
    assertThatThrownBy(() -> new AugmentationConfig(0.2, 1, 1, 1, 1.5, 0, 0, 0, 0, 0.1, 2))
        .hasMessageContaining("flipProbability");
    assertThatThrownBy(() -> new PackedImages(4, 4, List.of("a"), new int[] {0}, new byte[3]))
        .hasMessageContaining("pixel bytes");
  }

  private static float[] view(AugmentationConfig config, long seed, int index) {
    float[] out = new float[AREA];
    new Augmenter(config, Normalization.SYMMETRIC)
        .view(IMAGES, index, new SplittableRandom(seed), out, 0);
    return out;
  }
}
