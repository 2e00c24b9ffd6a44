package io.alfer.core.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A dense float32 matrix in alfer's self-describing binary form: a 16-byte header — magic {@code
 * ALFM}, then little-endian int32 format version (1), rows and columns — followed by {@code rows ×
 * cols} little-endian float32 values, row-major. The object's length is exactly {@code 16 + 4 ·
 * rows · cols}.
 *
 * @param rows number of rows
 * @param cols number of columns
 * @param values {@code rows × cols} values, row-major
 */
public record Matrix(int rows, int cols, float[] values) {
  /** The four magic bytes at the start of every matrix object. */
  public static final byte[] MAGIC = "ALFM".getBytes(StandardCharsets.US_ASCII);

  /** Format version written in the header. */
  public static final int VERSION = 1;

  /** Header length in bytes. */
  public static final int HEADER_BYTES = 16;

  /** Content type of matrix objects. */
  public static final String CONTENT_TYPE = "application/vnd.alfer.matrix";

  public Matrix {
    if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "a " + rows + "x" + cols + " matrix cannot hold " + values.length + " values");
    }
  }

  /** The matrix as bytes, header first. */
  public byte[] toBytes() {
    ByteBuffer b =
        ByteBuffer.allocate(HEADER_BYTES + values.length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putInt(rows).putInt(cols);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  /**
   * Reads a matrix.
   *
   * @throws IllegalArgumentException when the bytes are not a version-1 matrix or their length does
   *     not match the header
   */
  public static Matrix fromBytes(byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("not an alfer matrix: " + bytes.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte m : MAGIC) {
      if (b.get() != m) {
        throw new IllegalArgumentException("not an alfer matrix: bad magic");
      }
    }
    int version = b.getInt();
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported matrix format version " + version);
    }
    int rows = b.getInt();
    int cols = b.getInt();
    long expected = HEADER_BYTES + 4L * rows * cols;
    if (rows < 0 || cols < 0 || expected != bytes.length) {
      throw new IllegalArgumentException(
          "matrix header says %dx%d (%d bytes) but the object has %d bytes"
              .formatted(rows, cols, expected, bytes.length));
    }
    float[] values = new float[rows * cols];
    b.asFloatBuffer().get(values);
    return new Matrix(rows, cols, values);
  }

  /** Row {@code i} as a new array. */
  public float[] row(int i) {
    float[] out = new float[cols];
    System.arraycopy(values, i * cols, out, 0, cols);
    return out;
  }
}
