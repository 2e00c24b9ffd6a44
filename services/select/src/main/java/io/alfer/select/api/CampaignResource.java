package io.alfer.select.api;

import io.alfer.core.api.CampaignRequest;
import io.alfer.kit.error.ServiceException;
import io.alfer.select.campaign.Campaign;
import io.alfer.select.loop.Selections;
import io.alfer.select.state.Life;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Campaigns over HTTP; the work is done by {@link CampaignService} and the loop. */
@Path("/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {
  private final CampaignService service;
  private final Selections selections;

  public CampaignResource(CampaignService service, Selections selections) {
    this.service = service;
    this.selections = selections;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Create a campaign",
      description =
          "201 with the campaign; 200 when the same id exists with the same spec; 409"
              + " campaign_exists when it exists with another; 400 with a reason when the request"
              + " is impossible.")
  public Response create(CampaignRequest request) {
    CampaignService.Created created = service.create(request);
    if (!created.created()) {
      return Response.ok(created.view()).build();
    }
    return Response.created(URI.create("/campaigns/" + created.view().campaignId()))
        .entity(created.view())
        .build();
  }

  @GET
  @Operation(summary = "Every campaign, newest first")
  public List<CampaignView> list(
      @Parameter(description = "running, paused, cancelled, completed or failed")
          @QueryParam("state")
          String state,
      @Parameter(
              description =
                  "full (default) or summary: rounds without their selected and unanswered ids"
                      + " and provenance (their counts stay); what a dashboard polls")
          @QueryParam("view")
          String view) {
    return service.list(state, summary(view));
  }

  private static boolean summary(String view) {
    if (view == null || view.isBlank() || view.equals("full")) {
      return false;
    }
    if (view.equals("summary")) {
      return true;
    }
    throw ServiceException.badRequest(
        "unknown_view", "view must be full or summary, not '" + view + "'");
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One campaign: state, phase, spec and every round")
  public CampaignView get(@PathParam("id") String id) {
    return service.get(id);
  }

  @GET
  @Path("/{id}/rounds/{round}")
  @Operation(summary = "One round: selection with scores and provenance, labels, model, accuracy")
  public CampaignView.RoundView round(
      @PathParam("id") String id, @PathParam("round") String round) {
    return service.round(id, round);
  }

  /**
   * The answer of a recomputation.
   *
   * @param campaignId campaign
   * @param round round
   * @param matches whether the recomputed picks (ids, order, scores) equal the recorded ones
   * @param selected how many images the round selected
   * @param firstDifference index of the first differing pick, -1 when they match
   * @param recorded the recorded picks
   * @param recomputed the picks computed now
   * @param seconds time the strategy took now
   */
  public record RecomputeView(
      String campaignId,
      int round,
      boolean matches,
      int selected,
      int firstDifference,
      List<CampaignView.PickView> recorded,
      List<CampaignView.PickView> recomputed,
      double seconds) {}

  @GET
  @Path("/{id}/rounds/{round}/recompute")
  @Operation(
      summary = "Recompute a round from its provenance and say whether it matches",
      description =
          "Same pool rows, matrices, model, labels, strategy, parameters and seed as recorded. 409"
              + " cannot_recompute when something it needs is gone.")
  public RecomputeView recompute(@PathParam("id") String id, @PathParam("round") String round) {
    Life life = service.life();
    Campaign c = service.campaign(life, id);
    Campaign.Round r = service.selectedRound(c, round);
    Selections.Recomputed result;
    try {
      result = selections.recompute(c, r.number(), life.inputs());
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw ServiceException.conflict("cannot_recompute", e.getMessage());
    }
    return new RecomputeView(
        id,
        r.number(),
        result.matches(),
        r.selected().getSelected(),
        result.firstDifference(),
        result.recorded().stream()
            .map(i -> new CampaignView.PickView(i.getImageId(), i.getScore()))
            .toList(),
        result.recomputed().stream()
            .map(i -> new CampaignView.PickView(i.getImageId(), i.getScore()))
            .toList(),
        result.seconds());
  }

  @POST
  @Path("/{id}/pause")
  @Operation(summary = "Pause a running campaign (409 invalid_transition otherwise)")
  public CampaignView pause(@PathParam("id") String id, @QueryParam("reason") String reason) {
    return service.pause(id, reason);
  }

  @POST
  @Path("/{id}/resume")
  @Operation(summary = "Resume a paused campaign (409 invalid_transition otherwise)")
  public CampaignView resume(@PathParam("id") String id, @QueryParam("reason") String reason) {
    return service.resume(id, reason);
  }

  @POST
  @Path("/{id}/cancel")
  @Operation(summary = "Cancel a running or paused campaign for good (409 otherwise)")
  public CampaignView cancel(@PathParam("id") String id, @QueryParam("reason") String reason) {
    return service.cancel(id, reason);
  }
}
