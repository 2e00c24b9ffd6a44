package io.alfer.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A GET a test makes to a service, over HTTP/1.1 and with a timeout: the JDK client's default
 * (HTTP/2 by an h2c upgrade) once left such a GET waiting forever against a Quarkus service.
 */
public final class HttpGet {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private HttpGet() {}

  /** The body of {@code GET uri}, whatever the status. */
  public static String text(URI uri) {
    try {
      return CLIENT
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException e) {
      throw new AssertionError("GET " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("GET " + uri + " interrupted", e);
    }
  }
}
