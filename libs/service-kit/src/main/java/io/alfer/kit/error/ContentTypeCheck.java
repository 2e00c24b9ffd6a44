package io.alfer.kit.error;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, before any resource is chosen, a request whose {@code Content-Type} cannot be read: the
 * framework would otherwise fail parsing it (an unparseable type, a multipart form without a
 * boundary) with a 500 or a misleading refusal. Every service gets it through the kit.
 *
 * <ul>
 *   <li>a body (a positive {@code Content-Length}, or any {@code Transfer-Encoding}) without a
 *       {@code Content-Type}, or a {@code Content-Type} that is not {@code type/subtype} followed
 *       by {@code ; name=value} parameters (RFC 9110, section 8.3.1), or a charset the JVM does not
 *       know: 415 {@code unsupported_media_type};
 *   <li>a {@code multipart/*} type without a usable boundary (1 to 70 characters, RFC 2046): 400
 *       {@code invalid_multipart}.
 * </ul>
 */
public class ContentTypeCheck {
  /** Longest boundary RFC 2046 allows. */
  static final int MAX_BOUNDARY = 70;

  /** The filter: a refusal answer, or null to let the request through. */
  @org.jboss.resteasy.reactive.server.ServerRequestFilter(preMatching = true)
  public Response filter(ContainerRequestContext request) {
    boolean hasBody =
        request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
    return check(request.getHeaderString(HttpHeaders.CONTENT_TYPE), hasBody)
        .map(ErrorMappers::refusal)
        .orElse(null);
  }

  /**
   * Why a request with this {@code Content-Type} header (null when absent) is refused, if it is.
   *
   * @param hasBody whether the request carries a body
   */
  public static Optional<ServiceException> check(String contentType, boolean hasBody) {
    if (contentType == null) {
      return hasBody
          ? Optional.of(unsupported("the request has a body but no Content-Type"))
          : Optional.empty();
    }
    MediaTypeParts parts;
    try {
      parts = MediaTypeParts.parse(contentType);
    } catch (IllegalArgumentException e) {
      return Optional.of(
          unsupported(
              "Content-Type '"
                  + printable(contentType)
                  + "' is not a media type (type/subtype; name=value): "
                  + e.getMessage()));
    }
    String charset = parts.parameter("charset");
    if (charset != null && !knownCharset(charset)) {
      return Optional.of(unsupported("charset '" + printable(charset) + "' is not supported"));
    }
    if (parts.type().equals("multipart")) {
      String boundary = parts.parameter("boundary");
      if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
        return Optional.of(
            ServiceException.badRequest(
                "invalid_multipart",
                "a multipart Content-Type needs a boundary of 1 to "
                    + MAX_BOUNDARY
                    + " characters"));
      }
    }
    return Optional.empty();
  }

  private static ServiceException unsupported(String message) {
    return new ServiceException(415, "unsupported_media_type", message);
  }

  private static boolean knownCharset(String name) {
    try {
      return Charset.isSupported(name);
    } catch (IllegalCharsetNameException e) {
      return false;
    }
  }

  /** A header value for a message: control and non-ASCII characters escaped, at most 100 shown. */
  static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && i < 100; i++) {
      char ch = value.charAt(i);
      if (ch < 0x20 || ch > 0x7e) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return value.length() > 100 ? out + "…" : out.toString();
  }

  /**
   * Type, subtype and parameters of a media type, read by RFC 9110's grammar: type "/" subtype *(
   * OWS ";" OWS [ name "=" value ] ). A value is a quoted string or a run of visible characters
   * other than ';' and '"' (a little looser than a token: unquoted boundaries with '/' or '=' are
   * common).
   */
  record MediaTypeParts(String type, String subtype, Map<String, String> parameters) {
    /**
     * Reads a media type.
     *
     * @throws IllegalArgumentException saying what is wrong, when the value breaks the grammar
     */
    static MediaTypeParts parse(String value) {
      Cursor c = new Cursor(value);
      c.skipSpace();
      String type = c.token();
      if (type.isEmpty()) {
        throw new IllegalArgumentException("no type");
      }
      if (!c.take('/')) {
        throw new IllegalArgumentException("no '/' after the type");
      }
      String subtype = c.token();
      if (subtype.isEmpty()) {
        throw new IllegalArgumentException("no subtype");
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      c.skipSpace();
      while (!c.atEnd()) {
        if (!c.take(';')) {
          throw new IllegalArgumentException(
              "unexpected '" + printable(String.valueOf(c.peek())) + "' at " + c.pos);
        }
        c.skipSpace();
        if (c.atEnd() || c.peek() == ';') {
          continue; // an empty parameter is allowed
        }
        String name = c.token();
        if (name.isEmpty()) {
          throw new IllegalArgumentException("a parameter without a name at " + c.pos);
        }
        if (!c.take('=')) {
          throw new IllegalArgumentException("a parameter without '=' at " + c.pos);
        }
        String v = c.peek() == '"' ? c.quotedString() : c.bareValue();
        if (v == null) {
          throw new IllegalArgumentException("an unterminated quoted string");
        }
        if (v.isEmpty() && !c.wasQuoted()) {
          throw new IllegalArgumentException("a parameter without a value at " + c.pos);
        }
        parameters.putIfAbsent(name.toLowerCase(Locale.ROOT), v);
        c.skipSpace();
      }
      return new MediaTypeParts(
          type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), parameters);
    }

    /** A parameter's value (names are case-insensitive), or null. */
    String parameter(String name) {
      return parameters.get(name);
    }
  }

  /** A position in a header value and the RFC 9110 pieces read from it. */
  private static final class Cursor {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
    private final String s;
    private int pos;
    private boolean quoted;

    Cursor(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    boolean take(char ch) {
      if (!atEnd() && s.charAt(pos) == ch) {
        pos++;
        return true;
      }
      return false;
    }

    void skipSpace() {
      while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    /** Reads a token (possibly empty). */
    String token() {
      int start = pos;
      while (!atEnd() && isTchar(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    /** Reads an unquoted parameter value (possibly empty). */
    String bareValue() {
      quoted = false;
      int start = pos;
      while (!atEnd()) {
        char ch = s.charAt(pos);
        if (ch <= 0x20 || ch >= 0x7f || ch == ';' || ch == '"') {
          break;
        }
        pos++;
      }
      return s.substring(start, pos);
    }

    /** Reads a quoted string starting at '"'; its content unescaped, or null when it never ends. */
    String quotedString() {
      quoted = true;
      pos++; // the opening quote
      StringBuilder out = new StringBuilder();
      while (!atEnd()) {
        char ch = s.charAt(pos++);
        if (ch == '"') {
          return out.toString();
        }
        if (ch == '\\') {
          if (atEnd()) {
            return null;
          }
          ch = s.charAt(pos++);
        } else if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
          return null;
        }
        out.append(ch);
      }
      return null;
    }

    /** Whether the last value read was a quoted string. */
    boolean wasQuoted() {
      return quoted;
    }

    private static boolean isTchar(char ch) {
      return ch >= '0' && ch <= '9'
          || ch >= 'a' && ch <= 'z'
          || ch >= 'A' && ch <= 'Z'
          || TCHAR_SYMBOLS.indexOf(ch) >= 0;
    }
  }
}
