package io.alfer.label.vendor;

import io.alfer.kit.error.ServiceException;
import io.alfer.label.state.LabelState;
import io.alfer.label.state.VendorStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Operators' view of the vendors: issued, answered, refused by reason, late, agreement. */
@Path("/vendors")
@Produces(MediaType.APPLICATION_JSON)
public class VendorStatsResource {
  private final LabelState state;
  private final VendorRegistry vendors;

  public VendorStatsResource(LabelState state, VendorRegistry vendors) {
    this.state = state;
    this.vendors = vendors;
  }

  /** Every registered vendor and every vendor named by a task or result. */
  @GET
  public List<VendorStats> all() {
    if (!state.ready()) {
      throw ServiceException.unavailable(
          "not_ready", "the task state is still being replayed; retry shortly");
    }
    return state.ledger().vendorStats(vendors.names());
  }

  /** One vendor. */
  @GET
  @Path("/{vendor}")
  public VendorStats one(@PathParam("vendor") String vendor) {
    return all().stream()
        .filter(s -> s.vendor().equals(vendor))
        .findFirst()
        .orElseThrow(() -> ServiceException.notFound("unknown_vendor", "no vendor " + vendor));
  }
}
