package io.alfer.datasets.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/**
 * Converts decoded images to 8-bit gray levels.
 *
 * <p>Gray sources keep their levels exactly (scaled to 8 bits); colour sources become ITU-R BT.601
 * luma {@code (299 R + 587 G + 114 B) / 1000} of their sRGB values, so a colour image whose pixels
 * are all R = G = B keeps its levels too. Transparent pixels are composited over white.
 */
final class Grayscale {

  private Grayscale() {}

  static byte[] of(BufferedImage image) {
    ColorModel model = image.getColorModel();
    if (model instanceof ComponentColorModel && model.getNumColorComponents() == 1) {
      return fromGrayRaster(image.getRaster(), model);
    }
    return fromRgb(image);
  }

  private static byte[] fromGrayRaster(Raster raster, ColorModel model) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int grayMax = (1 << model.getComponentSize(0)) - 1;
    int alphaMax = model.hasAlpha() ? (1 << model.getComponentSize(1)) - 1 : 0;
    byte[] gray = new byte[width * height];
    int[] row = new int[width];
    int[] alphaRow = new int[width];
    for (int y = 0; y < height; y++) {
      raster.getSamples(0, y, width, 1, 0, row);
      if (model.hasAlpha()) {
        raster.getSamples(0, y, width, 1, 1, alphaRow);
      }
      for (int x = 0; x < width; x++) {
        int level = scale(row[x], grayMax);
        if (model.hasAlpha()) {
          level = overWhite(level, scale(alphaRow[x], alphaMax));
        }
        gray[y * width + x] = (byte) level;
      }
    }
    return gray;
  }

  private static byte[] fromRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] gray = new byte[width * height];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        int argb = row[x];
        int r = (argb >>> 16) & 0xff;
        int g = (argb >>> 8) & 0xff;
        int b = argb & 0xff;
        int luma = (299 * r + 587 * g + 114 * b + 500) / 1000;
        gray[y * width + x] = (byte) overWhite(luma, argb >>> 24);
      }
    }
    return gray;
  }

  /** A sample of {@code max} levels scaled to 0..255, rounded. */
  private static int scale(int sample, int max) {
    return max == 255 ? sample : (int) ((sample * 255L + max / 2) / max);
  }

  private static int overWhite(int level, int alpha) {
    return alpha == 255 ? level : (level * alpha + 255 * (255 - alpha) + 127) / 255;
  }
}
