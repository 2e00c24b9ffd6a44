package io.alfer.console.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.console.config.ConsoleConfig;
import io.alfer.kit.error.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * HTTP to the other services, the console's only way to ask them anything. A service that does not
 * answer becomes {@code 502 service_unavailable} naming it; an answer, whatever its status, is
 * handed back as it came, so that a refusal reaches the browser with the service's own reason.
 */
@ApplicationScoped
public class Upstream {
  private final HttpClient http;
  private final Map<Service, URI> bases = new EnumMap<>(Service.class);
  private final ConsoleConfig config;
  private final ObjectMapper json;

  public Upstream(ConsoleConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.timeout())
            .build();
    for (Service s : Service.values()) {
      String base = s.baseUrl(config);
      bases.put(s, URI.create(base.endsWith("/") ? base : base + "/"));
    }
  }

  /** A service's answer: status, content type (or null) and body. */
  public record Answer(int status, String contentType, byte[] body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The base URL of a service. */
  public URI base(Service service) {
    return bases.get(service);
  }

  /** {@code GET path} (relative to the service's base, query included). */
  public Answer get(Service service, String path, String authorization) {
    HttpRequest.Builder request = request(service, path).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(service, request.build());
  }

  /** {@code POST path} with a body of the given type. */
  public Answer post(
      Service service, String path, String contentType, byte[] body, String authorization) {
    HttpRequest.Builder request =
        request(service, path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(service, request.build());
  }

  /**
   * {@code GET path} read as JSON, expecting 200.
   *
   * @throws ServiceException 502 when the service does not answer or answers something else
   */
  public JsonNode json(Service service, String path) {
    Answer answer = get(service, path, null);
    if (answer.status() != 200) {
      throw new ServiceException(
          502,
          "service_error",
          service.id()
              + " answered "
              + answer.status()
              + " to GET /"
              + path
              + ": "
              + answer.text());
    }
    try {
      return json.readTree(answer.body());
    } catch (IOException e) {
      throw new ServiceException(
          502, "service_error", service.id() + " answered GET /" + path + " with no JSON");
    }
  }

  private HttpRequest.Builder request(Service service, String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    return HttpRequest.newBuilder(bases.get(service).resolve(relative)).timeout(config.timeout());
  }

  private Answer send(Service service, HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          response.body());
    } catch (IOException e) {
      throw unavailable(service, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(service, e);
    }
  }

  private ServiceException unavailable(Service service, Exception e) {
    return new ServiceException(
        502,
        "service_unavailable",
        service.id() + " did not answer at " + bases.get(service) + " (" + e + ")",
        e);
  }
}
