package io.alfer.kit.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentTypeCheckTest {

  @Test
  void ordinaryTypesPass() {
    for (String type :
        new String[] {
          "image/png",
          "application/json",
          "application/json; charset=utf-8",
          "application/JSON;charset=\"UTF-8\"",
          "text/csv ; charset=us-ascii ;",
          "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
          "multipart/form-data; boundary=\"a b:c\"",
          "multipart/form-data; boundary=abc/def=",
          "application/vnd.alfer+json",
          "*/*"
        }) {
      assertThat(ContentTypeCheck.check(type, true)).as(type).isEmpty();
    }
  }

  @Test
  void garbledTypesAreUnsupportedMediaTypes() {
    for (String type :
        new String[] {
          ";;;/=",
          "",
          "   ",
          "image",
          "image/",
          "/png",
          "image/png/x",
          "a/b c",
          "a/b; x",
          "a/b; =v",
          "a/b; x=",
          "a/b; x=\"unterminated",
          "image/png; charset=\"",
          "ä/b",
          "a/b; charset=no-such-charset",
          "a/b; charset=@@"
        }) {
      Optional<ServiceException> refusal = ContentTypeCheck.check(type, true);
      assertThat(refusal).as(type).isPresent();
      assertThat(refusal.get().status()).as(type).isEqualTo(415);
      assertThat(refusal.get().reason()).isEqualTo("unsupported_media_type");
    }
    assertThat(ContentTypeCheck.check(";;;/=", false).get().getMessage())
        .isEqualTo("Content-Type ';;;/=' is not a media type (type/subtype; name=value): no type");
  }

  @Test
  void aBodyNeedsAContentTypeAndNoBodyNeedsNone() {
    assertThat(ContentTypeCheck.check(null, true).get().getMessage())
        .isEqualTo("the request has a body but no Content-Type");
    assertThat(ContentTypeCheck.check(null, false)).isEmpty();
  }

  @Test
  void aMultipartTypeNeedsABoundary() {
    for (String type :
        new String[] {
          "multipart/form-data",
          "multipart/form-data; boundary=\"\"",
          "multipart/mixed; charset=utf-8",
          "multipart/form-data; boundary=" + "b".repeat(71)
        }) {
      Optional<ServiceException> refusal = ContentTypeCheck.check(type, true);
      assertThat(refusal).as(type).isPresent();
      assertThat(refusal.get().status()).isEqualTo(400);
      assertThat(refusal.get().reason()).isEqualTo("invalid_multipart");
    }
    assertThat(ContentTypeCheck.check("multipart/form-data; boundary=" + "b".repeat(70), true))
        .isEmpty();
  }

  @Test
  void parametersAreReadByName() {
    var parts =
        ContentTypeCheck.MediaTypeParts.parse(
            "Multipart/Form-Data; Boundary=\"x\\\"y\"; charset=utf-8");
    assertThat(parts.type()).isEqualTo("multipart");
    assertThat(parts.subtype()).isEqualTo("form-data");
    assertThat(parts.parameter("boundary")).isEqualTo("x\"y");
    assertThat(parts.parameter("charset")).isEqualTo("utf-8");
  }

  @Test
  void messagesShowControlCharactersEscaped() {
    assertThat(ContentTypeCheck.printable("a\u0001b\u00e9")).isEqualTo("a\\u0001b\\u00e9");
    assertThat(ContentTypeCheck.printable("x".repeat(150))).hasSize(101).endsWith("…");
  }
}
