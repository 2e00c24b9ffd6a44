package io.alfer.datasets.image;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content-derived image ids: equal canonical pixels, equal id. */
public final class ContentId {

  /** Number of hex characters kept from the SHA-256 (128 bits). */
  public static final int LENGTH = 32;

  private ContentId() {}

  /**
   * The first {@value #LENGTH} hex characters of SHA-256 over {@code width} and {@code height}
   * (4-byte big-endian each) followed by the row-major gray {@code pixels}.
   */
  public static String of(int width, int height, byte[] pixels) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(ByteBuffer.allocate(8).putInt(width).putInt(height).array());
      sha256.update(pixels);
      return HexFormat.of().formatHex(sha256.digest()).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
