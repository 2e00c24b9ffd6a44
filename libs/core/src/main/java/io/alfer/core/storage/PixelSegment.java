package io.alfer.core.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The canonical 8-bit gray pixels of several images of one dataset in one object, so that a reader
 * of many images fetches one object per batch instead of one PNG per image. A 20-byte header —
 * magic {@code ALFP}, then little-endian int32 format version (1), rows, width and height —
 * followed by {@code rows × width × height} bytes, one image per row, row-major inside the image.
 * The object's length is exactly {@code 20 + rows · width · height}. Which image a row holds is
 * said by the image's announcement ({@code ImageIngested.pixels}), not by the segment.
 *
 * @param rows number of images
 * @param width image width
 * @param height image height
 * @param pixels {@code rows × width × height} bytes
 */
public record PixelSegment(int rows, int width, int height, byte[] pixels) {
  /** The four magic bytes at the start of every segment. */
  public static final byte[] MAGIC = "ALFP".getBytes(StandardCharsets.US_ASCII);

  /** Format version written in the header. */
  public static final int VERSION = 1;

  /** Header length in bytes. */
  public static final int HEADER_BYTES = 20;

  /** Content type of segment objects. */
  public static final String CONTENT_TYPE = "application/vnd.alfer.pixels";

  public PixelSegment {
    if (rows < 0 || width <= 0 || height <= 0 || (long) rows * width * height != pixels.length) {
      throw new IllegalArgumentException(
          "%d images of %dx%d cannot be %d bytes".formatted(rows, width, height, pixels.length));
    }
  }

  /** Bytes of one image. */
  public int area() {
    return width * height;
  }

  /** The pixels of row {@code i}, as a new array. */
  public byte[] row(int i) {
    if (i < 0 || i >= rows) {
      throw new IndexOutOfBoundsException("row " + i + " of a segment of " + rows + " images");
    }
    return Arrays.copyOfRange(pixels, i * area(), (i + 1) * area());
  }

  /** The segment as bytes, header first. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + pixels.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putInt(rows).putInt(width).putInt(height).put(pixels);
    return b.array();
  }

  /**
   * Reads a segment.
   *
   * @throws IllegalArgumentException when the bytes are not a version-1 segment or their length
   *     does not match the header
   */
  public static PixelSegment fromBytes(byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("not an alfer pixel segment: " + bytes.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte m : MAGIC) {
      if (b.get() != m) {
        throw new IllegalArgumentException("not an alfer pixel segment: bad magic");
      }
    }
    int version = b.getInt();
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported pixel segment version " + version);
    }
    int rows = b.getInt();
    int width = b.getInt();
    int height = b.getInt();
    long expected = HEADER_BYTES + (long) rows * width * height;
    if (rows < 0 || width <= 0 || height <= 0 || expected != bytes.length) {
      throw new IllegalArgumentException(
          "pixel segment header says %d images of %dx%d (%d bytes) but the object has %d bytes"
              .formatted(rows, width, height, expected, bytes.length));
    }
    return new PixelSegment(
        rows, width, height, Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
  }
}
