package io.alfer.datasets.image;

import java.util.Arrays;

/**
 * A canonical image: square, 8-bit grayscale, at the normaliser's size.
 *
 * <p>The arrays are shared, not copied; treat them as read-only.
 *
 * @param id content-derived id: the first 32 hex characters of SHA-256 over width, height (4-byte
 *     big-endian each) and {@code pixels}; equal pixels give equal ids whatever the source format
 * @param width canonical width in pixels
 * @param height canonical height in pixels
 * @param pixels row-major gray levels, one byte (0..255) per pixel, {@code width * height} long
 * @param png the canonical PNG encoding of {@code pixels} (deterministic bytes)
 * @param sourceFormat what the image was made from: png, jpeg, bmp, gif, or the raw-pixel source
 *     named by the caller (e.g. fer2013-csv)
 */
public record NormalizedImage(
    String id, int width, int height, byte[] pixels, byte[] png, String sourceFormat) {

  /** The gray level (0..255) at column {@code x}, row {@code y}. */
  public int gray(int x, int y) {
    return pixels[y * width + x] & 0xff;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NormalizedImage that
        && id.equals(that.id)
        && width == that.width
        && height == that.height
        && Arrays.equals(pixels, that.pixels)
        && Arrays.equals(png, that.png)
        && sourceFormat.equals(that.sourceFormat);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "NormalizedImage[id=%s, %dx%d, png=%d bytes, from %s]"
        .formatted(id, width, height, png.length, sourceFormat);
  }
}
