package io.alfer.console.live;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** {@code GET /api/events}: the live updates of {@link LiveFeed} as server-sent events. */
@Path("/api/events")
public class EventsResource {
  private final LiveFeed feed;

  public EventsResource(LiveFeed feed) {
    this.feed = feed;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(@Context SseEventSink sink, @Context Sse sse) {
    feed.subscribe(sink, sse);
  }
}
