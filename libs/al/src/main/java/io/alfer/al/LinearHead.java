package io.alfer.al;

import java.util.Objects;

/**
 * The classifier head on top of the encoder: {@code logits = weights · embedding + bias}, with
 * {@code weights} of shape classes × embedding dimension.
 *
 * @param weights c × d weights
 * @param bias c biases
 */
public record LinearHead(Matrix weights, float[] bias) {
  public LinearHead {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(bias, "bias");
    if (bias.length != weights.rows()) {
      throw new IllegalArgumentException(
          "head bias has " + bias.length + " values for " + weights.rows() + " classes");
    }
  }

  public int classes() {
    return weights.rows();
  }

  public int dimension() {
    return weights.cols();
  }
}
