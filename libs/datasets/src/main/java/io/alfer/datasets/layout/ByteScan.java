package io.alfer.datasets.layout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds and counts line ends in bytes eight at a time (SWAR): a FER2013 CSV is some 300 MB, and its
 * reader and row count look at every byte of it, on one thread.
 */
final class ByteScan {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long LF = 0x0A0A0A0A0A0A0A0AL;
  private static final long CR = 0x0D0D0D0D0D0D0D0DL;
  private static final long COMMA = 0x2C2C2C2C2C2C2C2CL;

  private ByteScan() {}

  /** The index of the first {@code '\n'} or {@code '\r'} in {@code [from, to)}, or -1. */
  static int lineEnd(byte[] bytes, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long found = zeroBytes(word ^ LF) | zeroBytes(word ^ CR);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  /** How many {@code '\n'} are in {@code [from, to)}. */
  static int lineFeeds(byte[] bytes, int from, int to) {
    return count(bytes, from, to, LF, (byte) '\n');
  }

  /** How many commas are in {@code [from, to)}. */
  static int commas(byte[] bytes, int from, int to) {
    return count(bytes, from, to, COMMA, (byte) ',');
  }

  /** The index of the first comma in {@code [from, to)}, or -1. */
  static int comma(byte[] bytes, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long found = zeroBytes((long) LONGS.get(bytes, i) ^ COMMA);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == ',') {
        return i;
      }
    }
    return -1;
  }

  private static int count(byte[] bytes, int from, int to, long pattern, byte value) {
    int n = 0;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      n += Long.bitCount(zeroBytes((long) LONGS.get(bytes, i) ^ pattern));
    }
    for (; i < to; i++) {
      if (bytes[i] == value) {
        n++;
      }
    }
    return n;
  }

  /**
   * The high bit of each byte of {@code x} that is zero, nothing else: exact (no borrow runs from
   * one byte into the next, unlike the shorter {@code (x - 0x01..) & ~x} test).
   */
  private static long zeroBytes(long x) {
    return ~(((x & LOW7) + LOW7) | x | LOW7);
  }
}
