package io.alfer.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes {@code multipart/form-data} bodies (RFC 7578), well-formed or broken in one chosen way.
 */
final class Multipart {
  /** Ways to break a form; {@link #NONE} writes it well-formed. */
  enum Break {
    NONE,
    NO_CLOSING_BOUNDARY,
    OTHER_BOUNDARY_IN_BODY,
    LF_LINE_ENDS,
    NO_BLANK_LINE_AFTER_HEADERS,
    NO_CONTENT_DISPOSITION,
    NO_FIELD_NAME,
    PART_DROPPED,
    PART_DUPLICATED,
    UNKNOWN_FIELD_ADDED,
    FILE_CONTENT_MANGLED,
    ODD_FILE_NAME,
    GARBLED_PART_TYPE,
    UNKNOWN_PART_CHARSET,
    BASE64_GARBAGE,
    HUGE_HEADER_LINE,
    PREAMBLE_AND_EPILOGUE,
    EMPTY_FILE
  }

  private static final String[] ODD_FILE_NAMES = {
    "../../etc/passwd",
    "C:\\Users\\someone\\faces.csv",
    "",
    "a\tb.png",
    "ünïcödé-表情.png",
    "x".repeat(600) + ".png",
    "face.png\"; name=\"other",
    "%2e%2e%2fescape.png",
    "name with spaces.zip",
    ".hidden"
  };

  private Multipart() {}

  /** A random boundary of {@code 16 + random} characters. */
  static String boundary(Random random) {
    StringBuilder b = new StringBuilder("alfer-fuzz-");
    int n = 8 + random.nextInt(24);
    for (int i = 0; i < n; i++) {
      b.append(Character.forDigit(random.nextInt(16), 16));
    }
    return b.toString();
  }

  /** The form's bytes with {@code boundary}, broken as {@code how}. */
  static byte[] write(List<FormPart> seedParts, String boundary, Break how, Random random) {
    List<FormPart> parts = new ArrayList<>(seedParts);
    switch (how) {
      case PART_DROPPED -> {
        if (!parts.isEmpty()) {
          parts.remove(random.nextInt(parts.size()));
        }
      }
      case PART_DUPLICATED -> {
        if (!parts.isEmpty()) {
          parts.add(parts.get(random.nextInt(parts.size())));
        }
      }
      case UNKNOWN_FIELD_ADDED ->
          parts.add(random.nextInt(parts.size() + 1), FormPart.field("fuzz", "value"));
      case FILE_CONTENT_MANGLED -> parts = replaceFile(parts, random, true);
      case EMPTY_FILE -> parts = replaceFile(parts, random, false);
      default -> {
        // the parts as given
      }
    }
    String eol = how == Break.LF_LINE_ENDS ? "\n" : "\r\n";
    String bodyBoundary = how == Break.OTHER_BOUNDARY_IN_BODY ? boundary + "x" : boundary;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (how == Break.PREAMBLE_AND_EPILOGUE) {
      ascii(out, "this preamble is to be ignored" + eol);
    }
    int target = parts.isEmpty() ? -1 : random.nextInt(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      FormPart p = parts.get(i);
      boolean chosen = i == target;
      ascii(out, "--" + bodyBoundary + eol);
      String name = how == Break.NO_FIELD_NAME && chosen ? null : p.name();
      String fileName = p.fileName();
      if (how == Break.ODD_FILE_NAME && chosen) {
        fileName = ODD_FILE_NAMES[random.nextInt(ODD_FILE_NAMES.length)];
      }
      if (!(how == Break.NO_CONTENT_DISPOSITION && chosen)) {
        StringBuilder d = new StringBuilder("Content-Disposition: form-data");
        if (name != null) {
          d.append("; name=\"").append(name).append('"');
        }
        if (fileName != null) {
          d.append("; filename=\"").append(fileName).append('"');
        }
        utf8(out, d + eol);
      }
      String type = p.contentType();
      if (how == Break.GARBLED_PART_TYPE && chosen) {
        type = ";;;/=";
      } else if (how == Break.UNKNOWN_PART_CHARSET && chosen) {
        type = (type == null ? "text/plain" : type) + "; charset=no-such-charset";
      }
      if (type != null) {
        ascii(out, "Content-Type: " + type + eol);
      }
      if (how == Break.BASE64_GARBAGE && chosen) {
        ascii(out, "Content-Transfer-Encoding: base64" + eol);
      }
      if (how == Break.HUGE_HEADER_LINE && chosen) {
        ascii(out, "X-Fuzz: " + "h".repeat(20_000 + random.nextInt(20_000)) + eol);
      }
      if (!(how == Break.NO_BLANK_LINE_AFTER_HEADERS && chosen)) {
        ascii(out, eol);
      }
      if (how == Break.BASE64_GARBAGE && chosen) {
        ascii(out, "@@not base64!!" + eol);
      } else {
        out.writeBytes(p.content());
      }
      ascii(out, eol);
    }
    if (how != Break.NO_CLOSING_BOUNDARY) {
      ascii(out, "--" + bodyBoundary + "--" + eol);
    }
    if (how == Break.PREAMBLE_AND_EPILOGUE) {
      ascii(out, "and this epilogue too" + eol);
    }
    return out.toByteArray();
  }

  /** The parts with one file part's content mangled (truncated or bit-flipped) or emptied. */
  private static List<FormPart> replaceFile(List<FormPart> parts, Random random, boolean mangle) {
    List<Integer> files = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).fileName() != null) {
        files.add(i);
      }
    }
    if (files.isEmpty()) {
      return parts;
    }
    int i = files.get(random.nextInt(files.size()));
    FormPart p = parts.get(i);
    byte[] content =
        mangle
            ? (random.nextBoolean()
                ? Bytes.truncate(p.content(), random)
                : Bytes.flipBits(p.content(), random))
            : new byte[0];
    List<FormPart> copy = new ArrayList<>(parts);
    copy.set(i, new FormPart(p.name(), p.fileName(), p.contentType(), content));
    return copy;
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static void utf8(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
