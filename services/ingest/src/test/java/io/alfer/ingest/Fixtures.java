package io.alfer.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Test images made on the fly: deterministic per seed, in any format ImageIO writes. */
final class Fixtures {
  private Fixtures() {}

  /** A colour image of random blocks, encoded as {@code format} (png, jpg, bmp, gif). */
  static byte[] image(long seed, int width, int height, String format) {
    Random random = new Random(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int block = ((y / 8) * 31 + (x / 8)) * 7919 + (int) seed;
        Random cell = new Random(block);
        img.setRGB(x, y, cell.nextInt(0xffffff) ^ (random.nextInt(8)));
      }
    }
    return encode(img, format);
  }

  static byte[] encode(BufferedImage img, String format) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalArgumentException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PNG signature and IHDR claiming a huge image, without pixel data. */
  static byte[] pngBomb(int width, int height) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height);
    b.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b.array(), 12, 17);
    b.putInt((int) crc.getValue());
    return b.array();
  }
}
