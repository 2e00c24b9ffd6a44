package io.alfer.label.contract;

/**
 * A result that is not the contract's JSON: not a JSON object of the result's form ({@link
 * Problem#MALFORMED}), or a field of the result given a value of another JSON type than the
 * contract's ({@link Problem#FIELD_TYPE}). The message says what is wrong, for people.
 */
public class UnreadableResult extends IllegalArgumentException {
  /** What kind of wrong. */
  public enum Problem {
    /** Not JSON, not an object, a field given twice, a value JSON of the right type can't hold. */
    MALFORMED,
    /** A known field whose JSON type is not the contract's, e.g. an array for a string. */
    FIELD_TYPE
  }

  private final Problem problem;
  private final String vendor;

  UnreadableResult(Problem problem, String vendor, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
    this.vendor = vendor == null ? "" : vendor;
  }

  public Problem problem() {
    return problem;
  }

  /**
   * The vendor the result names, when its {@code vendor} field could be read as a string, else
   * empty: who a refusal is counted against.
   */
  public String vendor() {
    return vendor;
  }
}
