package io.alfer.ml.data;

import java.util.SplittableRandom;

/**
 * Turns one packed image into one augmented, normalised view (floats, H × W, same size as the
 * input). All randomness comes from the {@link SplittableRandom} passed in, so a seed fixes every
 * view.
 */
public final class Augmenter {
  private static final int CROP_ATTEMPTS = 10;

  private final AugmentationConfig config;
  private final Normalization normalization;

  public Augmenter(AugmentationConfig config, Normalization normalization) {
    this.config = config;
    this.normalization = normalization;
  }

  /**
   * Writes the view of image {@code index} into {@code out[offset .. offset + H·W)}.
   *
   * @param images the source images
   * @param index which image
   * @param random the source of every random choice for this view
   * @param out destination
   * @param offset where the view starts in {@code out}
   */
  public void view(
      PackedImages images, int index, SplittableRandom random, float[] out, int offset) {
    int h = images.height();
    int w = images.width();
    float[] img = new float[h * w];
    cropAndResize(images, index, random, img);
    if (random.nextDouble() < config.flipProbability()) {
      flipHorizontally(img, h, w);
    }
    if (random.nextDouble() < config.jitterProbability()) {
      jitter(img, random);
    }
    if (random.nextDouble() < config.blurProbability()) {
      double sigma =
          config.minBlurSigma()
              + random.nextDouble() * (config.maxBlurSigma() - config.minBlurSigma());
      GaussianBlur.apply(img, h, w, sigma);
    }
    for (int i = 0; i < img.length; i++) {
      out[offset + i] = normalization.apply(img[i]);
    }
  }

  /** Writes image {@code index} without augmentation, normalised. */
  public static void plain(
      PackedImages images, int index, Normalization normalization, float[] out, int offset) {
    int area = images.imageArea();
    byte[] pixels = images.pixels();
    int base = index * area;
    for (int i = 0; i < area; i++) {
      out[offset + i] = normalization.apply((pixels[base + i] & 0xFF) / 255f);
    }
  }

  private void cropAndResize(PackedImages images, int index, SplittableRandom random, float[] out) {
    int h = images.height();
    int w = images.width();
    double area = (double) h * w;
    double cropW = w;
    double cropH = h;
    double top = 0;
    double left = 0;
    for (int attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
      double scale = uniform(random, config.minCropScale(), config.maxCropScale());
      double logAspect =
          uniform(random, Math.log(config.minAspect()), Math.log(config.maxAspect()));
      double aspect = Math.exp(logAspect);
      double cw = Math.sqrt(scale * area * aspect);
      double ch = Math.sqrt(scale * area / aspect);
      if (cw <= w && ch <= h) {
        cropW = cw;
        cropH = ch;
        left = random.nextDouble() * (w - cw);
        top = random.nextDouble() * (h - ch);
        break;
      }
    }
    // Bilinear sampling of the crop at the centres of the output pixels.
    for (int y = 0; y < h; y++) {
      double sy = top + (y + 0.5) * cropH / h - 0.5;
      for (int x = 0; x < w; x++) {
        double sx = left + (x + 0.5) * cropW / w - 0.5;
        out[y * w + x] = (float) (bilinear(images, index, sy, sx) / 255.0);
      }
    }
  }

  private static double bilinear(PackedImages images, int index, double y, double x) {
    int h = images.height();
    int w = images.width();
    double cy = Math.min(Math.max(y, 0), h - 1);
    double cx = Math.min(Math.max(x, 0), w - 1);
    int y0 = (int) Math.floor(cy);
    int x0 = (int) Math.floor(cx);
    int y1 = Math.min(y0 + 1, h - 1);
    int x1 = Math.min(x0 + 1, w - 1);
    double fy = cy - y0;
    double fx = cx - x0;
    double top = images.pixel(index, y0, x0) * (1 - fx) + images.pixel(index, y0, x1) * fx;
    double bottom = images.pixel(index, y1, x0) * (1 - fx) + images.pixel(index, y1, x1) * fx;
    return top * (1 - fy) + bottom * fy;
  }

  private static void flipHorizontally(float[] img, int h, int w) {
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w / 2; x++) {
        int a = y * w + x;
        int b = y * w + (w - 1 - x);
        float t = img[a];
        img[a] = img[b];
        img[b] = t;
      }
    }
  }

  private void jitter(float[] img, SplittableRandom random) {
    float brightness = (float) uniform(random, 1 - config.brightness(), 1 + config.brightness());
    float contrast = (float) uniform(random, 1 - config.contrast(), 1 + config.contrast());
    double sum = 0;
    for (int i = 0; i < img.length; i++) {
      img[i] = Math.min(1f, img[i] * brightness);
      sum += img[i];
    }
    float mean = (float) (sum / img.length);
    for (int i = 0; i < img.length; i++) {
      img[i] = Math.min(1f, Math.max(0f, (img[i] - mean) * contrast + mean));
    }
  }

  private static double uniform(SplittableRandom random, double min, double max) {
    return min == max ? min : min + random.nextDouble() * (max - min);
  }
}
