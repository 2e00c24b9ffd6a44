package io.alfer.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scans agree with a byte-by-byte look, and lines survive block edges. */
class ByteScanTest {

  @Test
  void findsAndCountsWhatALoopOverEveryByteFinds() {
    Random random = new Random(3);
    byte[] alphabet = {'\n', '\r', ',', '0', ' ', (byte) 0x8A, (byte) 0x8D, (byte) 0xAC, 0x0B};
    for (int round = 0; round < 2_000; round++) {
      byte[] bytes = new byte[random.nextInt(70)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] =
            random.nextInt(4) == 0
                ? alphabet[random.nextInt(alphabet.length)]
                : (byte) random.nextInt(256);
      }
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      int to = from + random.nextInt(bytes.length - from + 1);
      int lineEnd = -1;
      int comma = -1;
      int lineFeeds = 0;
      int commas = 0;
      for (int i = to - 1; i >= from; i--) {
        if (bytes[i] == '\n' || bytes[i] == '\r') {
          lineEnd = i;
        }
        if (bytes[i] == ',') {
          comma = i;
          commas++;
        }
        if (bytes[i] == '\n') {
          lineFeeds++;
        }
      }
      assertThat(ByteScan.lineEnd(bytes, from, to)).isEqualTo(lineEnd);
      assertThat(ByteScan.comma(bytes, from, to)).isEqualTo(comma);
      assertThat(ByteScan.lineFeeds(bytes, from, to)).isEqualTo(lineFeeds);
      assertThat(ByteScan.commas(bytes, from, to)).isEqualTo(commas);
    }
  }

  @Test
  void linesKeepTheirBytesAcrossBlocksAndEveryKindOfLineEnd() throws IOException {
    Random random = new Random(5);
    List<String> expected = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    String[] ends = {"\n", "\r\n", "\r"};
    while (text.length() < 3 * (1 << 18)) { // several of the reader's blocks
      // (not empty: an empty line after a lone \r would read as the \n of a \r\n)
      String line = "x".repeat(1 + random.nextInt(random.nextInt(10) == 0 ? 40_000 : 30));
      expected.add(line);
      text.append(line).append(ends[random.nextInt(ends.length)]);
    }
    text.append("last line without an end");
    expected.add("last line without an end");
    // A reader handing out a few bytes at a time puts line ends (and \r\n pairs) on every edge.
    byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
    for (InputStream in :
        List.of(new ByteArrayInputStream(bytes), new Trickle(bytes, new Random(9)))) {
      BoundedLineReader reader = new BoundedLineReader(in, 64 * 1024);
      List<String> lines = new ArrayList<>();
      for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
        assertThat(line.tooLong()).isFalse();
        lines.add(new String(line.bytes(), StandardCharsets.US_ASCII));
      }
      assertThat(lines).isEqualTo(expected);
    }
  }

  @Test
  void aLineOverTheLimitIsMarkedAndSkippedWhereverItEnds() throws IOException {
    String text = "a\n" + "b".repeat(300_000) + "\r\nc\n" + "d".repeat(100) + "\n";
    BoundedLineReader reader =
        new BoundedLineReader(
            new Trickle(text.getBytes(StandardCharsets.US_ASCII), new Random(1)), 100);
    assertThat(new String(reader.next().bytes(), StandardCharsets.US_ASCII)).isEqualTo("a");
    assertThat(reader.next().tooLong()).isTrue();
    assertThat(new String(reader.next().bytes(), StandardCharsets.US_ASCII)).isEqualTo("c");
    BoundedLineReader.Line atTheLimit = reader.next();
    assertThat(atTheLimit.tooLong()).isFalse();
    assertThat(atTheLimit.bytes()).hasSize(100);
    assertThat(reader.next()).isNull();
  }

  /** Hands out at most a few hundred bytes per read. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private final Random random;
    private int position;

    Trickle(byte[] bytes, Random random) {
      this.bytes = bytes;
      this.random = random;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(length, 1 + random.nextInt(700)), bytes.length - position);
      System.arraycopy(bytes, position, into, offset, n);
      position += n;
      return n;
    }
  }
}
