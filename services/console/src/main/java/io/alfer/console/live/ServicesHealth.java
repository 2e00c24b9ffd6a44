package io.alfer.console.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.console.upstream.Service;
import io.alfer.console.upstream.Upstream;
import io.alfer.kit.error.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * The health of every service as its {@code /q/health} says (liveness, readiness and startup checks
 * with their data), or that it did not answer.
 */
@ApplicationScoped
public class ServicesHealth {
  private final Upstream upstream;
  private final ObjectMapper json;

  public ServicesHealth(Upstream upstream, ObjectMapper json) {
    this.upstream = upstream;
    this.json = json;
  }

  /**
   * One entry per service: {@code service}, {@code url}, {@code status} ({@code UP}, {@code DOWN}
   * or {@code UNREACHABLE}), {@code checks} (the service's own) or {@code error}.
   */
  public ArrayNode all() {
    ArrayNode out = json.createArrayNode();
    for (Service service : Service.values()) {
      ObjectNode entry = out.addObject();
      entry.put("service", service.id());
      entry.put("url", upstream.base(service).toString());
      try {
        Upstream.Answer answer = upstream.get(service, "q/health", null);
        JsonNode body = json.readTree(answer.body());
        entry.put("status", body.path("status").asText(answer.ok() ? "UP" : "DOWN"));
        entry.set("checks", body.path("checks"));
      } catch (ServiceException | IOException e) {
        entry.put("status", "UNREACHABLE");
        entry.put("error", e.getMessage());
      }
    }
    return out;
  }
}
