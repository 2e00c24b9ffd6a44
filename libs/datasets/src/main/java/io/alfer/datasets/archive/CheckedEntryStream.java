package io.alfer.datasets.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An entry's content that may not grow past its declared size (a zip can lie in its central
 * directory) and, when no size was declared, charges what it reads to the walk's budget.
 */
final class CheckedEntryStream extends FilterInputStream {

  private final String name;
  private final long declaredSize;
  private final EntryBudget budget;
  private long read;

  CheckedEntryStream(InputStream in, String name, long declaredSize, EntryBudget budget) {
    super(in);
    this.name = name;
    this.declaredSize = declaredSize;
    this.budget = budget;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) throws IOException {
    read += n;
    if (declaredSize < 0) {
      budget.chargeUndeclared(name, n);
    } else if (read > declaredSize) {
      throw new IOException(
          "%s holds more than the %d bytes its header declares".formatted(name, declaredSize));
    }
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
