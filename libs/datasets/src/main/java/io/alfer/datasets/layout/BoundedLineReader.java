package io.alfer.datasets.layout;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of bytes no longer than a limit, so a file without newlines cannot fill memory.
 * Accepts {@code \n}, {@code \r\n} and {@code \r} line ends. Reads the input in blocks and finds
 * line ends eight bytes at a time; a line is copied once, into its own array. Decoding (and
 * parsing) is left to whoever takes the line, which may be another thread: a FER2013 row is ~8 KB
 * of digits, and turning it into pixels on the one thread that reads the file was an import's
 * bottleneck.
 */
final class BoundedLineReader {

  /** A line without its end, or the marker that the line was longer than the limit. */
  record Line(byte[] bytes, boolean tooLong) {
    private static final Line TOO_LONG = new Line(new byte[0], true);
  }

  private static final int BLOCK = 1 << 18;

  private final InputStream in;
  private final int maxBytes;
  private final byte[] block = new byte[BLOCK];
  private byte[] carry = new byte[0];
  private int position;
  private int limit;
  private boolean pendingLineFeed;
  private boolean eof;

  BoundedLineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line, or {@code null} at the end of input. */
  Line next() throws IOException {
    if (pendingLineFeed) {
      pendingLineFeed = false;
      if (fill() && block[position] == '\n') {
        position++;
      }
    }
    if (!fill()) {
      return null;
    }
    int carried = 0;
    boolean tooLong = false;
    while (fill()) {
      int start = position;
      int end = ByteScan.lineEnd(block, start, limit);
      int stop = end < 0 ? limit : end;
      if (end >= 0 && carried == 0 && !tooLong && stop - start <= maxBytes) {
        // The common case: the whole line lies in the block.
        pendingLineFeed = block[end] == '\r';
        position = end + 1;
        return new Line(Arrays.copyOfRange(block, start, stop), false);
      }
      int take = Math.min(maxBytes - carried, stop - start);
      if (!tooLong && take > 0) {
        if (carry.length < carried + take) {
          carry =
              Arrays.copyOf(carry, Math.min(maxBytes, Math.max(2 * carry.length, carried + take)));
        }
        System.arraycopy(block, start, carry, carried, take);
        carried += take;
      }
      if (stop - start > take) {
        tooLong = true;
      }
      position = stop;
      if (end >= 0) {
        pendingLineFeed = block[end] == '\r';
        position = end + 1;
        break;
      }
    }
    return tooLong ? Line.TOO_LONG : new Line(Arrays.copyOf(carry, carried), false);
  }

  /** Whether a byte is available at {@code position}, reading a block when needed. */
  private boolean fill() throws IOException {
    while (position >= limit) {
      if (eof) {
        return false;
      }
      int n = in.read(block, 0, BLOCK);
      if (n < 0) {
        eof = true;
        return false;
      }
      position = 0;
      limit = n;
    }
    return true;
  }
}
