package io.alfer.ingest.image;

import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;

/** Request-body and parameter helpers shared by the upload endpoints. */
public final class Bodies {
  private Bodies() {}

  /** Reads a whole body, refusing (413) one longer than {@code limit} bytes. */
  public static byte[] readLimited(InputStream in, long limit) {
    try {
      byte[] buf = new byte[(int) Math.min(limit + 1, 1 << 16)];
      int len = 0;
      int n;
      while ((n = in.read(buf, len, buf.length - len)) != -1) {
        len += n;
        if (len > limit) {
          throw ServiceException.tooLarge("body is larger than the limit of " + limit + " bytes");
        }
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
        }
      }
      return Arrays.copyOf(buf, len);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read request body", e);
    }
  }

  /** Parses the {@code split} parameter: pool (default) or test. */
  public static Split split(String value) {
    if (value == null || value.isBlank()) {
      return Split.SPLIT_POOL;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "pool", "train", "training" -> Split.SPLIT_POOL;
      case "test" -> Split.SPLIT_TEST;
      default ->
          throw ServiceException.badRequest(
              "bad_split", "split '" + value + "' is not one of: pool, test");
    };
  }
}
