package io.alfer.datasets.image;

import io.alfer.datasets.image.InvalidImageException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The encoded image formats alfer decodes, recognised by their magic bytes. */
public enum ImageFormat {
  PNG,
  JPEG,
  BMP,
  GIF;

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** Lower-case name, as used for {@code source_format} and by ImageIO: png, jpeg, bmp, gif. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format of {@code bytes}, judged by their first bytes only.
   *
   * @throws InvalidImageException with {@link Reason#UNSUPPORTED_FORMAT} for a recognised image
   *     format that is not decoded (TIFF, WebP, ICO, HEIC/AVIF, JPEG 2000, JPEG XL, PSD, QOI), with
   *     {@link Reason#TRUNCATED} for a PNG signature cut short, and with {@link
   *     Reason#NOT_AN_IMAGE} otherwise
   */
  public static ImageFormat detect(byte[] bytes) {
    if (bytes.length == 0) {
      throw new InvalidImageException(Reason.NOT_AN_IMAGE, "empty input, not an image");
    }
    if (startsWith(bytes, PNG_MAGIC)) {
      return PNG;
    }
    if (bytes.length < PNG_MAGIC.length && startsWith(PNG_MAGIC, bytes) && bytes.length >= 4) {
      throw new InvalidImageException(
          Reason.TRUNCATED, "PNG signature cut short after " + bytes.length + " bytes");
    }
    if (startsWith(bytes, 0xff, 0xd8, 0xff)) {
      return JPEG;
    }
    if (startsWith(bytes, "GIF87a") || startsWith(bytes, "GIF89a")) {
      return GIF;
    }
    if (startsWith(bytes, "BM") && bytes.length >= 14) {
      return BMP;
    }
    String unsupported = unsupportedFormat(bytes);
    if (unsupported != null) {
      throw new InvalidImageException(
          Reason.UNSUPPORTED_FORMAT,
          unsupported + " images are not supported; use PNG, JPEG, BMP or GIF");
    }
    throw new InvalidImageException(
        Reason.NOT_AN_IMAGE, "not an image: the first bytes match no image format");
  }

  /**
   * Whether {@code bytes} end the way a complete file of this format ends: the PNG IEND chunk, the
   * JPEG end-of-image marker, the GIF trailer, or at least the BMP's declared file size.
   */
  boolean looksComplete(byte[] bytes) {
    int n = bytes.length;
    return switch (this) {
      case PNG -> n >= 12 && startsWithAt(bytes, n - 8, "IEND");
      case JPEG -> n >= 4 && (bytes[n - 2] & 0xff) == 0xff && (bytes[n - 1] & 0xff) == 0xd9;
      case GIF -> bytes[n - 1] == 0x3b;
      case BMP -> n >= 6 && littleEndianInt(bytes, 2) <= n;
    };
  }

  private static long littleEndianInt(byte[] bytes, int offset) {
    return (bytes[offset] & 0xffL)
        | (bytes[offset + 1] & 0xffL) << 8
        | (bytes[offset + 2] & 0xffL) << 16
        | (bytes[offset + 3] & 0xffL) << 24;
  }

  private static String unsupportedFormat(byte[] b) {
    if (startsWith(b, "II*\0") || startsWith(b, "MM\0*")) {
      return "TIFF";
    }
    if (startsWith(b, "RIFF") && startsWithAt(b, 8, "WEBP")) {
      return "WebP";
    }
    if (startsWith(b, 0, 0, 1, 0) || startsWith(b, 0, 0, 2, 0)) {
      return "ICO/CUR";
    }
    if (startsWithAt(b, 4, "ftyp")) {
      String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.ISO_8859_1) : "";
      if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1")) {
        return "HEIC";
      }
      if (brand.startsWith("avi")) {
        return "AVIF";
      }
    }
    if (startsWith(b, 0, 0, 0, 0x0c, 'j', 'P', ' ', ' ') || startsWith(b, 0xff, 0x4f, 0xff, 0x51)) {
      return "JPEG 2000";
    }
    if (startsWith(b, 0xff, 0x0a) || startsWith(b, 0, 0, 0, 0x0c, 'J', 'X', 'L', ' ')) {
      return "JPEG XL";
    }
    if (startsWith(b, "8BPS")) {
      return "PSD";
    }
    if (startsWith(b, "qoif")) {
      return "QOI";
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    return startsWithAt(bytes, 0, prefix);
  }

  private static boolean startsWithAt(byte[] bytes, int offset, String prefix) {
    return startsWithAt(bytes, offset, prefix.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    byte[] asBytes = new byte[prefix.length];
    for (int i = 0; i < prefix.length; i++) {
      asBytes[i] = (byte) prefix[i];
    }
    return startsWith(bytes, asBytes);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return startsWithAt(bytes, 0, prefix);
  }

  private static boolean startsWithAt(byte[] bytes, int offset, byte[] prefix) {
    if (bytes.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
