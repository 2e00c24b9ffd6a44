package io.alfer.datasets.layout;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines no longer than a limit, so a file without newlines cannot fill memory. Accepts {@code
 * \n}, {@code \r\n} and {@code \r} line ends.
 */
final class BoundedLineReader {

  /** A line, or the marker that the line was longer than the limit (its rest was skipped). */
  record Line(String text, boolean tooLong) {}

  private final Reader in;
  private final int maxChars;
  private final StringBuilder buffer = new StringBuilder();
  private boolean pendingLineFeed;

  BoundedLineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line, or {@code null} at the end of input. */
  Line next() throws IOException {
    buffer.setLength(0);
    boolean tooLong = false;
    int c = in.read();
    if (pendingLineFeed && c == '\n') {
      c = in.read();
    }
    pendingLineFeed = false;
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n' && c != '\r') {
      if (buffer.length() < maxChars) {
        buffer.append((char) c);
      } else {
        tooLong = true;
      }
      c = in.read();
    }
    pendingLineFeed = c == '\r';
    return new Line(tooLong ? "" : buffer.toString(), tooLong);
  }
}
