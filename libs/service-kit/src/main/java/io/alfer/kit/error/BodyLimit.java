package io.alfer.kit.error;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose {@code Content-Length} is over {@code quarkus.http.limits.max-body-size}
 * with 413 {@code too_large} and an {@link ErrorBody} naming the limit. Quarkus refuses such a
 * request itself, but with an empty body and before any exception mapper could speak; this check
 * runs just before Quarkus's own (route order −2) and answers the same way (the connection is
 * closed, the body never read), with the JSON every other refusal has.
 *
 * <p>A body sent without a length (chunked) is only found too long while it is read; past the HTTP
 * limit Quarkus still cuts it off with an empty 413. An endpoint that takes a body therefore reads
 * it with a lower limit of its own, which it refuses with {@link ServiceException#tooLarge}.
 */
@ApplicationScoped
public class BodyLimit {
  /** Before Quarkus's own check of the limit, which is route order −2. */
  static final int ORDER = -3;

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,100}");

  private final long limit;

  public BodyLimit(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize limit) {
    this.limit = limit.asLongValue();
  }

  void install(@Observes Router router) {
    router.route().order(ORDER).handler(this::check);
  }

  private void check(RoutingContext ctx) {
    Optional<ErrorBody> refusal =
        refusal(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH), limit);
    if (refusal.isEmpty()) {
      ctx.next();
      return;
    }
    ErrorBody body = refusal.get();
    ctx.response()
        .setStatusCode(413)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .endHandler(v -> ctx.request().connection().close())
        .end(new JsonObject().put("error", body.error()).put("message", body.message()).encode());
  }

  /**
   * The refusal of a body whose {@code Content-Length} header is {@code contentLength}, or empty
   * when it is within {@code limit} bytes or states no number (Quarkus and the body reader judge
   * those).
   */
  static Optional<ErrorBody> refusal(String contentLength, long limit) {
    String digits = contentLength == null ? "" : contentLength.trim();
    if (!DIGITS.matcher(digits).matches()) {
      return Optional.empty();
    }
    BigInteger length = new BigInteger(digits);
    if (length.compareTo(BigInteger.valueOf(limit)) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new ErrorBody(
            "too_large",
            "the body is "
                + length
                + " bytes, more than the "
                + limit
                + " bytes this service accepts"));
  }
}
