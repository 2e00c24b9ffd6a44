package io.alfer.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.console.config.ConsoleConfig;
import io.alfer.console.live.ServicesHealth;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the pages need of the console itself: its settings for them, every service's health. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConsoleResource {
  private final ConsoleConfig config;
  private final ServicesHealth health;

  public ConsoleResource(ConsoleConfig config, ServicesHealth health) {
    this.config = config;
    this.health = health;
  }

  /** Settings of the pages. */
  public record PageSettings(long undoWindowMillis, long pollMillis) {}

  @GET
  @Path("/settings")
  public PageSettings settings() {
    return new PageSettings(config.undoWindow().toMillis(), config.poll().toMillis());
  }

  /** Every service's {@code /q/health}, or that it did not answer. */
  @GET
  @Path("/health")
  public JsonNode health() {
    return health.all();
  }
}
