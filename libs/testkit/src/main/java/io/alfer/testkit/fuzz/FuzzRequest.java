package io.alfer.testkit.fuzz;

import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request {@link HttpFuzz} sends: what it is made of and how it was made.
 *
 * @param seed the run's seed
 * @param index its place in the run (0-based); the same seed and index give the same request
 * @param method HTTP method
 * @param uri target
 * @param headers headers to send, in order (no {@code Content-Type} when absent here)
 * @param body the body (possibly empty)
 * @param recipe how the headers and body were made, e.g. {@code garbled-type + truncated}
 */
public record FuzzRequest(
    long seed,
    int index,
    String method,
    URI uri,
    Map<String, String> headers,
    byte[] body,
    String recipe) {
  private static final int SHOWN_BYTES = 64;

  /** Copies the headers and body. */
  public FuzzRequest {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The request's {@code Content-Type}, or null when it is sent without one. */
  public String contentType() {
    return headers.get("Content-Type");
  }

  /**
   * The request for a failure message: seed, index, recipe, method and target, headers, body size
   * and its first bytes in hex and as text.
   */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append("seed ")
        .append(seed)
        .append(", request ")
        .append(index)
        .append(" (")
        .append(recipe)
        .append("): ")
        .append(method)
        .append(' ')
        .append(uri);
    if (!headers.containsKey("Content-Type")) {
      out.append("\n  (no Content-Type)");
    }
    headers.forEach((k, v) -> out.append("\n  ").append(k).append(": ").append(v));
    out.append("\n  body: ").append(body.length).append(" bytes");
    if (body.length > 0) {
      byte[] head = Arrays.copyOf(body, Math.min(body.length, SHOWN_BYTES));
      out.append(", first ").append(head.length).append(":\n    ");
      for (byte b : head) {
        out.append(String.format(Locale.ROOT, "%02x", b & 0xff));
      }
      out.append("\n    ");
      for (byte b : head) {
        out.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
      }
    }
    return out.toString();
  }
}
