package io.alfer.datasets.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes 8-bit grayscale pixels as a minimal PNG (IHDR, one IDAT, IEND; no metadata, no
 * timestamps), so equal pixels always give equal bytes.
 */
final class GrayPng {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** Fixed zlib level: part of what makes the bytes reproducible. */
  private static final int COMPRESSION_LEVEL = 6;

  private GrayPng() {}

  static byte[] encode(byte[] pixels, int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length / 2 + 64);
    out.writeBytes(SIGNATURE);
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(width).putInt(height);
    header.put((byte) 8); // bit depth
    header.put((byte) 0); // colour type: grayscale
    header.put((byte) 0); // compression: deflate
    header.put((byte) 0); // filter method: adaptive
    header.put((byte) 0); // no interlace
    writeChunk(out, "IHDR", header.array());
    writeChunk(out, "IDAT", deflate(scanlines(pixels, width, height)));
    writeChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** Rows, each prefixed by filter type 0 (none). */
  private static byte[] scanlines(byte[] pixels, int width, int height) {
    byte[] raw = new byte[(width + 1) * height];
    for (int y = 0; y < height; y++) {
      System.arraycopy(pixels, y * width, raw, y * (width + 1) + 1, width);
    }
    return raw;
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(COMPRESSION_LEVEL);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
