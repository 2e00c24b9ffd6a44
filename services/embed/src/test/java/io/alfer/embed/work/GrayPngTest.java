package io.alfer.embed.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.datasets.synthetic.SyntheticFer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class GrayPngTest {

  @Test
  void decodesCanonicalPngsToTheirPixels() {
    ImageNormalizer normalizer = new ImageNormalizer();
    Iterator<io.alfer.datasets.synthetic.Sample> samples = new SyntheticFer(3).samples(200);
    while (samples.hasNext()) {
      NormalizedImage img = normalizer.normalizeGrayPixels(samples.next().pixels(), 48, 48);
      assertThat(GrayPng.decode(img.png(), 48)).isEqualTo(img.pixels());
    }
  }

  @Test
  void anythingElseIsLeftToTheNormaliser() throws Exception {
    NormalizedImage img =
        new ImageNormalizer()
            .normalizeGrayPixels(new SyntheticFer(4).samples(1).next().pixels(), 48, 48);
    assertThat(GrayPng.decode(img.png(), 64)).as("other size").isNull();
    assertThat(GrayPng.decode(Arrays.copyOf(img.png(), img.png().length / 2), 48))
        .as("truncated")
        .isNull();
    assertThat(GrayPng.decode("not a png at all".getBytes(), 48)).isNull();
    assertThat(GrayPng.decode(png(new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB)), 48))
        .as("colour")
        .isNull();
    assertThat(GrayPng.decode(png(new BufferedImage(48, 48, BufferedImage.TYPE_USHORT_GRAY)), 48))
        .as("16-bit gray")
        .isNull();
  }

  private static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
