package io.alfer.core.claim;

/**
 * A claim check that cannot be honoured: the referenced object is not there, is not the one the
 * event names, or is not the payload it should be. The record that carries the claim is refused
 * with {@link #reason()} (its {@code dead-letter-reason}) and nothing of it is applied. A storage
 * outage is not a refusal: it is an {@link io.alfer.core.storage.StorageException}, and the reader
 * tries again.
 */
public final class ClaimRefused extends Exception {
  /** No object under the claim's key (or the claim names no key, or another bucket). */
  public static final String MISSING = "claim_missing";

  /** The object's size or SHA-256 differs from the claim's (or the claim has no checksum). */
  public static final String CORRUPT = "claim_corrupt";

  /**
   * The object is not a serialized message of the claim's type holding only the claimed fields, or
   * the event carries both a claim and inline entries.
   */
  public static final String UNDECODABLE = "claim_undecodable";

  private final String reason;

  ClaimRefused(String reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  /** The stable reason: {@value #MISSING}, {@value #CORRUPT} or {@value #UNDECODABLE}. */
  public String reason() {
    return reason;
  }
}
