package io.alfer.ml.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of one shard: a header (magic, version, count, height, width), each image's id
 * and label, then the uint8 pixels N × H × W.
 */
public final class ShardCodec {
  private static final int MAGIC = 0x414C5348; // "ALSH"
  private static final int VERSION = 1;

  private ShardCodec() {}

  /** Encodes images as a shard. */
  public static byte[] write(PackedImages images) {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(images.pixels().length + 64 * images.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(images.size());
      out.writeInt(images.height());
      out.writeInt(images.width());
      for (int i = 0; i < images.size(); i++) {
        out.writeUTF(images.ids().get(i));
        out.writeInt(images.labels()[i]);
      }
      out.write(images.pixels());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a shard; fails clearly on anything that is not one. */
  public static PackedImages read(byte[] shard) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(shard))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not an alfer shard (bad magic number)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException("unsupported shard version " + version);
      }
      int count = in.readInt();
      int height = in.readInt();
      int width = in.readInt();
      if (count < 0 || height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "corrupt shard header: " + count + " images of " + height + "×" + width);
      }
      List<String> ids = new ArrayList<>(count);
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        ids.add(in.readUTF());
        labels[i] = in.readInt();
      }
      byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(count, height), width)];
      in.readFully(pixels);
      if (in.read() != -1) {
        throw new IllegalArgumentException("shard has trailing bytes");
      }
      return new PackedImages(height, width, ids, labels, pixels);
    } catch (EOFException e) {
      throw new IllegalArgumentException("truncated shard", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
