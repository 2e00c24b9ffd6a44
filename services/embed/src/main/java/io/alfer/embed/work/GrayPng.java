package io.alfer.embed.work;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A fast decoder for the one PNG shape alfer stores as canonical images — 8-bit grayscale,
 * non-interlaced — skipping ImageIO's reader lookup and stream machinery, which cost more than the
 * model on small faces. Anything else answers {@code null}, and the caller falls back to the full
 * normaliser. CRCs are not checked (the bytes come from our own bucket; a damaged image decodes to
 * wrong pixels or fails the length checks).
 */
final class GrayPng {
  private static final long SIGNATURE = 0x89504E470D0A1A0AL;
  private static final int IHDR = 0x49484452;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454E44;

  private GrayPng() {}

  /**
   * The pixels, row-major, when {@code png} is an 8-bit gray {@code size × size} PNG; else null.
   */
  static byte[] decode(byte[] png, int size) {
    try {
      ByteBuffer b = ByteBuffer.wrap(png);
      if (b.getLong() != SIGNATURE) {
        return null;
      }
      int rowBytes = size + 1;
      byte[] raw = new byte[rowBytes * size];
      Inflater inflater = new Inflater();
      try {
        boolean header = false;
        int produced = 0;
        while (b.remaining() >= 12) {
          int length = b.getInt();
          int type = b.getInt();
          if (length < 0 || length > b.remaining() - 4) {
            return null;
          }
          if (type == IHDR) {
            if (length != 13
                || b.getInt(b.position()) != size
                || b.getInt(b.position() + 4) != size
                || b.get(b.position() + 8) != 8 // bit depth
                || b.get(b.position() + 9) != 0 // colour type: gray
                || b.get(b.position() + 12) != 0) { // no interlace
              return null;
            }
            header = true;
          } else if (type == IDAT) {
            if (!header) {
              return null;
            }
            inflater.setInput(png, b.position(), length);
            while (!inflater.needsInput() && produced < raw.length) {
              int n = inflater.inflate(raw, produced, raw.length - produced);
              if (n == 0 && (inflater.finished() || inflater.needsDictionary())) {
                break;
              }
              produced += n;
            }
          } else if (type == IEND) {
            break;
          }
          b.position(b.position() + length + 4); // data and CRC
        }
        if (!header || produced != raw.length) {
          return null;
        }
      } finally {
        inflater.end();
      }
      return unfilter(raw, size);
    } catch (DataFormatException | RuntimeException e) {
      return null;
    }
  }

  private static byte[] unfilter(byte[] raw, int size) {
    byte[] out = new byte[size * size];
    for (int y = 0; y < size; y++) {
      int filter = raw[y * (size + 1)];
      int in = y * (size + 1) + 1;
      int row = y * size;
      int prev = row - size;
      for (int x = 0; x < size; x++) {
        int a = x > 0 ? out[row + x - 1] & 0xFF : 0;
        int up = y > 0 ? out[prev + x] & 0xFF : 0;
        int c = x > 0 && y > 0 ? out[prev + x - 1] & 0xFF : 0;
        int v = raw[in + x] & 0xFF;
        int predicted =
            switch (filter) {
              case 0 -> 0;
              case 1 -> a;
              case 2 -> up;
              case 3 -> (a + up) >>> 1;
              case 4 -> paeth(a, up, c);
              default -> throw new IllegalArgumentException("PNG filter " + filter);
            };
        out[row + x] = (byte) (v + predicted);
      }
    }
    return out;
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }
}
