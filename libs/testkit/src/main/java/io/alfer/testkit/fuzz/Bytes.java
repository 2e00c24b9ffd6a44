package io.alfer.testkit.fuzz;

import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations of a body. */
final class Bytes {
  private Bytes() {}

  /** A prefix of {@code bytes}: anything from empty to one byte short. */
  static byte[] truncate(byte[] bytes, Random random) {
    if (bytes.length == 0) {
      return bytes;
    }
    return Arrays.copyOf(bytes, random.nextInt(bytes.length));
  }

  /** {@code bytes} with 1 to 8 random bits flipped. */
  static byte[] flipBits(byte[] bytes, Random random) {
    byte[] out = bytes.clone();
    if (out.length == 0) {
      return out;
    }
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(out.length);
      out[at] ^= (byte) (1 << random.nextInt(8));
    }
    return out;
  }

  /**
   * {@code bytes} with a chunk removed, duplicated or replaced by random bytes: the structure
   * shifts where a bit flip leaves it in place.
   */
  static byte[] splice(byte[] bytes, Random random) {
    if (bytes.length < 2) {
      return random(random, 1 + random.nextInt(64));
    }
    int from = random.nextInt(bytes.length);
    int to = from + 1 + random.nextInt(Math.min(256, bytes.length - from));
    byte[] chunk = Arrays.copyOfRange(bytes, from, to);
    byte[] middle =
        switch (random.nextInt(3)) {
          case 0 -> new byte[0];
          case 1 -> concat(chunk, chunk);
          default -> random(random, chunk.length);
        };
    return concat(
        concat(Arrays.copyOfRange(bytes, 0, from), middle),
        Arrays.copyOfRange(bytes, to, bytes.length));
  }

  /** {@code length} random bytes. */
  static byte[] random(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  /** {@code prefix} followed by zeros up to {@code length} bytes. */
  static byte[] padded(byte[] prefix, long length) {
    if (length > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("an oversized body of " + length + " bytes is too large");
    }
    return Arrays.copyOf(prefix, (int) length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
