package io.alfer.ml.data;

/** A separable Gaussian blur of a single-channel float image, edges clamped. */
final class GaussianBlur {
  private GaussianBlur() {}

  static void apply(float[] img, int h, int w, double sigma) {
    int radius = Math.max(1, (int) Math.ceil(2 * sigma));
    double[] kernel = new double[2 * radius + 1];
    double total = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
      total += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= total;
    }
    float[] tmp = new float[img.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int k = -radius; k <= radius; k++) {
          int xx = Math.min(Math.max(x + k, 0), w - 1);
          acc += kernel[k + radius] * img[y * w + xx];
        }
        tmp[y * w + x] = (float) acc;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int k = -radius; k <= radius; k++) {
          int yy = Math.min(Math.max(y + k, 0), h - 1);
          acc += kernel[k + radius] * tmp[yy * w + x];
        }
        img[y * w + x] = (float) acc;
      }
    }
  }
}
