package io.alfer.ml.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Constants for arithmetic that autograd records. Use these, never {@code array.div(2.0)} and the
 * other {@code NDArray} methods that take a {@link Number}, in anything a backward pass goes
 * through (a loss, a forward pass differentiated with respect to its input).
 *
 * <p>Why: DJL's PyTorch engine implements {@code array.div(number)} by putting the number in a Java
 * direct buffer, wrapping that buffer as a 0-dimensional tensor without copying it ({@code
 * torch::from_blob}), running the operation, and closing the wrapper at once, which drops the last
 * Java reference to the buffer. Autograd keeps the wrapper's tensor for the backward pass ({@code
 * div} and {@code mul} need their other operand to compute the gradient), but the memory under it
 * belongs to the buffer: when a garbage collection runs between the forward and the backward pass,
 * the buffer's cleaner frees that memory, the allocator writes its own bookkeeping over it, and the
 * backward pass divides by whatever is there. That is how SimCLR steps got a finite loss with NaN
 * gradients in every parameter at a step that changed from run to run (see the module README).
 *
 * <p>The arrays made here hold memory that the engine allocated and reference-counts, so a saved
 * tensor keeps it alive however the Java handles come and go.
 */
public final class Constants {
  private Constants() {}

  /**
   * A 0-dimensional array holding {@code value}, of {@code like}'s type and device, attached to
   * {@code like}'s manager. The value is kept in the array's own type (double for float64).
   */
  public static NDArray scalar(NDArray like, double value) {
    if (!(like.getManager() instanceof PtNDManager manager)) {
      throw new IllegalArgumentException(
          "engine-owned constants need a PyTorch array, got " + like.getClass().getName());
    }
    return JniUtils.full(
        manager, new Shape(), value, like.getDataType(), like.getDevice(), SparseFormat.DENSE);
  }
}
