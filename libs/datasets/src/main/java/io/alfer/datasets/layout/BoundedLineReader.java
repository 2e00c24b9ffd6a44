package io.alfer.datasets.layout;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines no longer than a limit, so a file without newlines cannot fill memory. Accepts {@code
 * \n}, {@code \r\n} and {@code \r} line ends. Reads the underlying reader in blocks and scans them
 * (a FER2013 row is ~8 KB: one {@code read()} call per character was the import's hottest spot).
 */
final class BoundedLineReader {

  /** A line, or the marker that the line was longer than the limit (its rest was skipped). */
  record Line(String text, boolean tooLong) {}

  private static final int BLOCK = 1 << 16;

  private final Reader in;
  private final int maxChars;
  private final StringBuilder buffer = new StringBuilder();
  private final char[] block = new char[BLOCK];
  private int position;
  private int limit;
  private boolean pendingLineFeed;
  private boolean eof;

  BoundedLineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line, or {@code null} at the end of input. */
  Line next() throws IOException {
    buffer.setLength(0);
    if (pendingLineFeed) {
      pendingLineFeed = false;
      if (fill() && block[position] == '\n') {
        position++;
      }
    }
    if (!fill()) {
      return null;
    }
    boolean tooLong = false;
    while (fill()) {
      int start = position;
      int end = start;
      while (end < limit && block[end] != '\n' && block[end] != '\r') {
        end++;
      }
      int room = maxChars - buffer.length();
      int take = Math.min(room, end - start);
      if (take > 0) {
        buffer.append(block, start, take);
      }
      if (end - start > take) {
        tooLong = true;
      }
      position = end;
      if (end < limit) {
        pendingLineFeed = block[end] == '\r';
        position = end + 1;
        break;
      }
    }
    return new Line(tooLong ? "" : buffer.toString(), tooLong);
  }

  /** Whether a character is available at {@code position}, reading a block when needed. */
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
