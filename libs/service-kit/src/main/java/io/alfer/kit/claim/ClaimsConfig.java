package io.alfer.kit.claim;

import io.alfer.core.claim.Claims;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Claim checks ({@code alfer.claims.*}), the same key in every service that writes events whose
 * payload can outgrow a record (see {@link Claims}).
 */
@ConfigMapping(prefix = "alfer.claims")
public interface ClaimsConfig {
  /**
   * The largest payload, in serialized bytes, kept inside an event ({@code
   * ALFER_CLAIMS_INLINE_MAX_BYTES}); a larger one goes to {@code claims/} in object storage and the
   * event names it. Keep it well below the broker's {@code message.max.bytes} (1 MiB by default).
   */
  @WithDefault("" + Claims.DEFAULT_INLINE_MAX_BYTES)
  long inlineMaxBytes();
}
