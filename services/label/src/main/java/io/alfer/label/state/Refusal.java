package io.alfer.label.state;

import io.alfer.core.claim.ClaimRefused;
import io.alfer.label.contract.UnreadableResult;

/**
 * Why a result or a selection was refused: the {@code dead-letter-reason} header on the dead-letter
 * topic, the {@code reason} label of the refusal metric and the {@code error} of an HTTP answer.
 */
public enum Refusal {
  /** Not JSON of the expected type, or a required field is missing or out of range. */
  MALFORMED("malformed", 400),
  /**
   * A field of the result has another JSON type than the contract's (e.g. an array for a string).
   */
  INVALID_FIELD_TYPE("invalid_field_type", 400),
  /** No task with this id was issued. */
  UNKNOWN_TASK("unknown_task", 404),
  /** The task belongs to another vendor (answered 404 over HTTP: a vendor never sees others'). */
  WRONG_VENDOR("wrong_vendor", 404),
  /** The label is not one of the task's taxonomy classes. */
  LABEL_NOT_IN_TAXONOMY("label_not_in_taxonomy", 400),
  /** The result came after the task's deadline (or after its slot was given up). */
  LATE("late", 410),
  /** The task's annotation slot was answered already. */
  DUPLICATE("duplicate", 409),
  /** A selection's dataset has no definition on alfer.datasets. */
  UNKNOWN_DATASET("unknown_dataset", 400),
  /** A selection names a vendor that is not registered. */
  UNKNOWN_VENDOR("unknown_vendor", 400),
  /** A selection's claim-checked images are not in object storage. */
  CLAIM_MISSING(ClaimRefused.MISSING, 400),
  /** A selection's claim-checked images differ from its claim (size or SHA-256). */
  CLAIM_CORRUPT(ClaimRefused.CORRUPT, 400),
  /** A selection's claim-checked object is not a SelectionMade holding only images. */
  CLAIM_UNDECODABLE(ClaimRefused.UNDECODABLE, 400);

  private final String code;
  private final int httpStatus;

  Refusal(String code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** The refusal of a result that is not the contract's JSON. */
  public static Refusal of(UnreadableResult unreadable) {
    return switch (unreadable.problem()) {
      case MALFORMED -> MALFORMED;
      case FIELD_TYPE -> INVALID_FIELD_TYPE;
    };
  }

  /** The refusal of a selection whose claim check cannot be honoured. */
  public static Refusal of(ClaimRefused refused) {
    return switch (refused.reason()) {
      case ClaimRefused.MISSING -> CLAIM_MISSING;
      case ClaimRefused.CORRUPT -> CLAIM_CORRUPT;
      default -> CLAIM_UNDECODABLE;
    };
  }

  /** The stable machine-readable reason. */
  public String code() {
    return code;
  }

  /** The HTTP status this refusal is answered with. */
  public int httpStatus() {
    return httpStatus;
  }
}
