package io.alfer.testkit.fuzz;

import java.util.Random;

/**
 * {@code Content-Type} values a client should not send, or sends by mistake. Only printable ASCII:
 * the HTTP client refuses control characters in a header, and a server may drop a request whose
 * headers are not ASCII before any application code sees it.
 */
final class ContentTypes {
  private static final String[] GARBLED = {
    ";;;/=",
    "/",
    "//",
    "image/",
    "/png",
    "image",
    "*",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=\"",
    "multipart/form-data; boundary=\"\"",
    "multipart/form-data;boundary",
    "text/plain; charset=no-such-charset",
    "text/plain; charset=\"utf-8",
    "application/json; charset=@@",
    "a/b; x",
    "a/b;;;",
    "a/b; =v",
    "a/b c",
    "image/png, image/jpeg",
    "image/png/extra",
    "\"image/png\"",
    " ; ",
    "multipart/form-data; boundary=" + "b".repeat(200),
  };

  private static final String[] OTHER = {
    "application/octet-stream",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/tiff",
    "image/webp",
    "text/plain",
    "text/csv",
    "text/html",
    "application/json",
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/xml",
    "application/x-www-form-urlencoded",
    "video/mp4",
    "*/*",
  };

  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789;/=\",*+-._ \t()<>@:\\[]?{}";

  private ContentTypes() {}

  /** A value that is not a usable media type: a known bad one, or random characters. */
  static String garbled(Random random) {
    if (random.nextBoolean()) {
      return GARBLED[random.nextInt(GARBLED.length)];
    }
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(40);
    for (int i = 0; i < n; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString().strip();
  }

  /** A well-formed type, usually not the one the body is. */
  static String other(Random random) {
    int pick = random.nextInt(OTHER.length + 2);
    if (pick == OTHER.length) {
      return "multipart/form-data; boundary=" + Multipart.boundary(random);
    }
    if (pick == OTHER.length + 1) {
      return "multipart/mixed; boundary=" + Multipart.boundary(random);
    }
    return OTHER[pick];
  }

  /** {@code type} with one or two odd parameters appended. */
  static String withParameters(String type, Random random) {
    StringBuilder s = new StringBuilder(type);
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      s.append(
          switch (random.nextInt(7)) {
            case 0 -> "; charset=utf-8";
            case 1 -> "; charset=UTF-16";
            case 2 -> "; charset=no-such-charset";
            case 3 -> "; boundary=" + Multipart.boundary(random);
            case 4 -> "; q=0.5";
            case 5 -> "; x-fuzz=\"quoted ; value\"";
            default -> ";";
          });
    }
    return s.toString();
  }
}
