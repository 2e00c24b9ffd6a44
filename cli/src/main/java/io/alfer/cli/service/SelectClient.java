package io.alfer.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.core.api.CampaignRequest;
import java.net.URI;
import java.util.Set;

/** The select service's REST API, as the CLI uses it. */
public final class SelectClient {
  private final JsonHttp http;

  public SelectClient(URI base) {
    this.http = new JsonHttp("select", base);
  }

  /** Creates a campaign (201 new, 200 the same campaign already exists); returns its view. */
  public JsonNode create(CampaignRequest campaign) {
    return http.post("/campaigns", campaign, Set.of(200, 201));
  }

  /**
   * Every campaign, newest first, as summaries (rounds with counts, not ids); only those in {@code
   * state} when it is not null.
   */
  public JsonNode list(String state) {
    return http.get(
        "/campaigns?view=summary"
            + (state == null
                ? ""
                : "&state="
                    + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** A campaign's view: state, phase, message, labelledTotal and every round. */
  public JsonNode campaign(String campaignId) {
    return http.get("/campaigns/" + campaignId);
  }
}
