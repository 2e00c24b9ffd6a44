package io.alfer.embed.inference;

/** The model's session was closed (the model was retired) while work still used it. */
public final class ModelClosedException extends IllegalStateException {
  public ModelClosedException(String modelId) {
    super("model " + modelId + " is retired; its session is closed");
  }
}
