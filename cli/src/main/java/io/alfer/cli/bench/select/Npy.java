package io.alfer.cli.bench.select;

import io.alfer.al.Matrix;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes NumPy {@code .npy} files (format version 1.0, little-endian, C order). */
final class Npy {
  private Npy() {}

  /** A {@code float32} matrix of shape (rows, cols). */
  static void write(Path file, Matrix matrix) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      header(out, "<f4", "(" + matrix.rows() + ", " + matrix.cols() + ")");
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : matrix.data()) {
        if (!buffer.hasRemaining()) {
          out.write(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
        buffer.putFloat(v);
      }
      out.write(buffer.array(), 0, buffer.position());
    }
  }

  /** A {@code bool} vector. */
  static void write(Path file, boolean[] values) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      header(out, "|b1", "(" + values.length + ",)");
      for (boolean v : values) {
        out.write(v ? 1 : 0);
      }
    }
  }

  private static void header(OutputStream out, String dtype, String shape) throws IOException {
    String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // magic (6) + version (2) + length (2) + dict + padding + newline: a multiple of 64
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String text = dict + " ".repeat(padding) + "\n";
    DataOutputStream data = new DataOutputStream(out);
    data.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    data.write(text.length() & 0xFF);
    data.write(text.length() >>> 8);
    data.write(text.getBytes(StandardCharsets.US_ASCII));
  }
}
