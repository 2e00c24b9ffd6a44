package io.alfer.testkit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One part of a valid {@code multipart/form-data} body that {@link HttpFuzz} starts from.
 *
 * @param name the form field's name
 * @param fileName the part's {@code filename}, or null for a plain field
 * @param contentType the part's {@code Content-Type}, or null for none
 * @param content the part's bytes
 */
public record FormPart(String name, String fileName, String contentType, byte[] content) {

  /** Checks the name and content. */
  public FormPart {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
    content = content.clone();
  }

  /** A plain text field. */
  public static FormPart field(String name, String value) {
    return new FormPart(name, null, null, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A file. */
  public static FormPart file(String name, String fileName, String contentType, byte[] content) {
    return new FormPart(name, fileName, contentType, content);
  }

  @Override
  public byte[] content() {
    return content.clone();
  }
}
