package io.alfer.core.storage;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The ids object next to every matrix: UTF-8 text, one image id per line, in row order. */
public final class IdList {
  /** Content type of id lists. */
  public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private IdList() {}

  /** The ids as bytes: each id followed by a newline. */
  public static byte[] toBytes(List<String> ids) {
    StringBuilder sb = new StringBuilder(ids.size() * 33);
    for (String id : ids) {
      sb.append(id).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The ids of an id list object. */
  public static List<String> fromBytes(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
