package io.alfer.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.ml.TestImages;
import io.alfer.ml.data.PackedImages;
import org.junit.jupiter.api.Test;

class QualityProbeTest {
  @Test
  void keepsLabelledImagesAndCutsLargeSetsToTheSameSubset() {
    PackedImages images = TestImages.banded(30, 8, 3, 5);
    int[] labels = images.labels().clone();
    labels[4] = PackedImages.UNLABELLED;
    PackedImages partly =
        new PackedImages(images.height(), images.width(), images.ids(), labels, images.pixels());
    QualityProbe all = QualityProbe.of(partly);
    assertThat(all.images().size()).isEqualTo(29);
    assertThat(all.images().ids()).doesNotContain(images.ids().get(4));
    assertThat(all.k()).isEqualTo(KnnAccuracy.DEFAULT_K);

    QualityProbe cut = QualityProbe.of(partly, 5, 10);
    assertThat(cut.images().size()).isEqualTo(10);
    assertThat(cut.images().ids()).isEqualTo(QualityProbe.of(partly, 5, 10).images().ids());
    assertThat(cut.images().labels()).doesNotContain(PackedImages.UNLABELLED);
    assertThatThrownBy(() -> QualityProbe.of(partly.select(new int[] {4, 0}), 5, 10))
        .hasMessageContaining("at least 2 labelled");
  }

  @Test
  void measuresBothFiguresOnTheProbesImages() {
    PackedImages images = TestImages.banded(12, 8, 3, 6);
    QualityProbe probe = QualityProbe.of(images, 3, 100);
    float[][] embeddings = new float[12][];
    for (int i = 0; i < 12; i++) {
      // class c points along axis c: both figures perfect
      embeddings[i] = new float[4];
      embeddings[i][images.labels()[i]] = 1f + i * 0.01f;
    }
    RepresentationQuality quality = probe.measure(embeddings, 0.5);
    assertThat(quality.knnAccuracy()).isEqualTo(1.0);
    assertThat(quality.linearProbeAccuracy()).isEqualTo(1.0);
    assertThat(quality.images()).isEqualTo(12);
    assertThat(quality.seconds()).isGreaterThanOrEqualTo(0.5);
  }
}
