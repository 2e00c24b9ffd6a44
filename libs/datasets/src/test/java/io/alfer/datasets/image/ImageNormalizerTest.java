package io.alfer.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.datasets.Fixtures;
import io.alfer.datasets.image.InvalidImageException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageNormalizerTest {

  private final ImageNormalizer normalizer = new ImageNormalizer();

  @Test
  void turnsAColourJpegIntoA48SquareGrayPng() throws IOException {
    NormalizedImage image =
        normalizer.normalize(Fixtures.encode(Fixtures.picture(100, 60, 200), "jpeg"));

    assertThat(image.width()).isEqualTo(48);
    assertThat(image.height()).isEqualTo(48);
    assertThat(image.pixels()).hasSize(48 * 48);
    assertThat(image.sourceFormat()).isEqualTo("jpeg");
    assertThat(image.id()).hasSize(32).matches("[0-9a-f]+");
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.png()));
    assertThat(png.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(png.getWidth()).isEqualTo(48);
    byte[] decoded = new byte[48 * 48];
    png.getRaster().getDataElements(0, 0, 48, 48, decoded);
    assertThat(decoded).isEqualTo(image.pixels());
    // the disc in the middle is lighter than the blue background in the corner
    assertThat(image.gray(24, 24)).isGreaterThan(image.gray(1, 1) + 40);
  }

  @Test
  void losslessFormatsOfTheSamePixelsGiveTheSameId() {
    BufferedImage gray = randomGray(60, 60, 7);
    NormalizedImage fromPng = normalizer.normalize(Fixtures.encode(gray, "png"));
    NormalizedImage fromBmp = normalizer.normalize(Fixtures.encode(gray, "bmp"));

    assertThat(fromBmp.sourceFormat()).isEqualTo("bmp");
    assertThat(fromBmp.pixels()).isEqualTo(fromPng.pixels());
    assertThat(fromBmp.id()).isEqualTo(fromPng.id());
    assertThat(fromBmp.png()).isEqualTo(fromPng.png());
  }

  @Test
  void rawPixelsAtCanonicalSizeAreKeptExactlyAndMatchTheirPng() {
    BufferedImage gray = randomGray(48, 48, 3);
    byte[] pixels = new byte[48 * 48];
    gray.getRaster().getDataElements(0, 0, 48, 48, pixels);

    NormalizedImage raw = normalizer.normalizeGrayPixels(pixels, 48, 48, "fer2013-csv");
    NormalizedImage png = normalizer.normalize(Fixtures.encode(gray, "png"));

    assertThat(raw.pixels()).isEqualTo(pixels);
    assertThat(raw.sourceFormat()).isEqualTo("fer2013-csv");
    assertThat(raw.id()).isEqualTo(png.id()).isEqualTo(ContentId.of(48, 48, pixels));
    assertThat(normalizer.normalizeGrayPixels(pixels, 48, 48).png()).isEqualTo(raw.png());
  }

  @Test
  void differentPixelsGiveDifferentIds() {
    byte[] pixels = new byte[48 * 48];
    String first = normalizer.normalizeGrayPixels(pixels, 48, 48).id();
    pixels[100] = 1;
    assertThat(normalizer.normalizeGrayPixels(pixels, 48, 48).id()).isNotEqualTo(first);
  }

  @Test
  void shrinksByAveragingAreas() {
    byte[] checker = new byte[96 * 96];
    for (int y = 0; y < 96; y++) {
      for (int x = 0; x < 96; x++) {
        checker[y * 96 + x] = (byte) ((x + y) % 2 == 0 ? 0 : 255);
      }
    }
    NormalizedImage image = normalizer.normalizeGrayPixels(checker, 96, 96);
    for (byte level : image.pixels()) {
      assertThat(level & 0xff).isEqualTo(128);
    }
  }

  @Test
  void cropsTheCentreSquare() {
    byte[] framed = new byte[144 * 96]; // black bands left and right, white centre square
    for (int y = 0; y < 96; y++) {
      Arrays.fill(framed, y * 144 + 24, y * 144 + 120, (byte) 255);
    }
    NormalizedImage image = normalizer.normalizeGrayPixels(framed, 144, 96);
    for (byte level : image.pixels()) {
      assertThat(level & 0xff).isEqualTo(255);
    }
  }

  @Test
  void enlargesSmallImages() {
    byte[] small = new byte[24 * 24];
    Arrays.fill(small, (byte) 77);
    small[0] = 0;
    NormalizedImage image = normalizer.normalizeGrayPixels(small, 24, 24);
    assertThat(image.gray(47, 47)).isEqualTo(77);
    assertThat(image.gray(0, 0)).isZero();
    assertThat(image.gray(1, 1)).isBetween(1, 76);
  }

  @Test
  void compositesTransparencyOverWhiteAndScalesSixteenBitGray() {
    BufferedImage clear = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB);
    assertThat(normalizer.normalize(Fixtures.encode(clear, "png")).gray(5, 5)).isEqualTo(255);

    BufferedImage deep = new BufferedImage(10, 10, BufferedImage.TYPE_USHORT_GRAY);
    deep.getRaster().setSample(5, 5, 0, 65535);
    NormalizedImage image = new ImageNormalizer(10, 1000).normalize(Fixtures.encode(deep, "png"));
    assertThat(image.gray(5, 5)).isEqualTo(255);
    assertThat(image.gray(4, 4)).isZero();
  }

  @Test
  void decodesTheFirstGifFrame() {
    NormalizedImage image =
        normalizer.normalize(Fixtures.encode(Fixtures.picture(50, 50, 220), "gif"));
    assertThat(image.sourceFormat()).isEqualTo("gif");
    assertThat(image.width()).isEqualTo(48);
  }

  @Test
  void refusesText() {
    assertReason("name,age\nbob,3\n".getBytes(StandardCharsets.UTF_8), Reason.NOT_AN_IMAGE);
    assertReason(new byte[0], Reason.NOT_AN_IMAGE);
  }

  @Test
  void refusesRecognisedButUnsupportedFormats() {
    byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0};
    byte[] webp = "RIFF\u0024\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
    byte[] ico = {0, 0, 1, 0, 1, 0, 16, 16, 0, 0};
    assertThatThrownBy(() -> normalizer.normalize(tiff))
        .isInstanceOf(InvalidImageException.class)
        .hasMessageContaining("TIFF");
    assertReason(tiff, Reason.UNSUPPORTED_FORMAT);
    assertReason(webp, Reason.UNSUPPORTED_FORMAT);
    assertReason(ico, Reason.UNSUPPORTED_FORMAT);
  }

  @Test
  void reportsTruncatedPngAndJpeg() {
    byte[] png = Fixtures.encode(randomGray(64, 64, 1), "png");
    assertReason(Arrays.copyOf(png, png.length / 2), Reason.TRUNCATED);
    assertReason(Arrays.copyOf(png, 5), Reason.TRUNCATED);
    byte[] jpeg = Fixtures.encode(Fixtures.picture(64, 64, 90), "jpeg");
    assertReason(Arrays.copyOf(jpeg, jpeg.length / 2), Reason.TRUNCATED);
    assertReason(Arrays.copyOf(jpeg, jpeg.length - 10), Reason.TRUNCATED);
  }

  @Test
  void reportsCorruptData() {
    byte[] png = Fixtures.encode(randomGray(64, 64, 1), "png");
    for (int i = 60; i < png.length - 20; i++) {
      png[i] ^= (byte) 0x5a;
    }
    InvalidImageException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidImageException.class, () -> normalizer.normalize(png));
    assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
  }

  @Test
  void refusesAHugeHeaderBeforeDecoding() {
    InvalidImageException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidImageException.class, () -> normalizer.normalize(pngHeader(100_000, 100_000)));
    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
    assertThat(e.getMessage()).contains("100000x100000").contains("40000000");
  }

  @Test
  void honoursAConfiguredPixelLimit() {
    byte[] png = Fixtures.encode(randomGray(40, 40, 2), "png");
    assertThatThrownBy(() -> new ImageNormalizer(48, 1000).normalize(png))
        .isInstanceOfSatisfying(
            InvalidImageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS));
    assertThatThrownBy(() -> new ImageNormalizer(0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesRawPixelsThatDoNotFitTheSize() {
    assertThatThrownBy(() -> normalizer.normalizeGrayPixels(new byte[10], 48, 48))
        .isInstanceOfSatisfying(
            InvalidImageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
        .hasMessageContaining("10 gray pixels");
  }

  private void assertReason(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> normalizer.normalize(bytes))
        .isInstanceOfSatisfying(
            InvalidImageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static BufferedImage randomGray(int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, random.nextInt(256));
      }
    }
    return image;
  }

  /** A PNG signature and IHDR announcing a size, followed by an empty IDAT and IEND. */
  private static byte[] pngHeader(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).array());
    chunk(out, "IDAT", new byte[0]);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
