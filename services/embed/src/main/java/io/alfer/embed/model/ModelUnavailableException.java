package io.alfer.embed.model;

/** A model that is retired or failed was asked to run. */
public final class ModelUnavailableException extends RuntimeException {
  private final ModelState state;

  public ModelUnavailableException(ModelState state, String message) {
    super(message);
    this.state = state;
  }

  public ModelState state() {
    return state;
  }
}
