package io.alfer.ml.deepfool;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.alfer.ml.train.TrainingCancelledException;
import java.time.Duration;

/**
 * Multi-class DeepFool (Moosavi-Dezfooli, Fawzi &amp; Frossard, CVPR 2016, Algorithm 2) over any
 * {@link DifferentiableClassifier} of inputs in [0, 1]. For an input x predicted as class k̂, each
 * step linearises the classifier at the current point x_i: with {@code w_k = ∇f_k(x_i) −
 * ∇f_k̂(x_i)} and {@code f_k = f_k(x_i) − f_k̂(x_i)}, it takes the class l minimising {@code |f_k|
 * / ||w_k||₂} and adds {@code r_i = (|f_l| / ||w_l|| + 10⁻⁴) · w_l / ||w_l||} to the accumulated
 * perturbation r (the 10⁻⁴, as in the authors' code, gets a step across a tie); the next point is
 * {@code x_{i+1} = x + (1 + η)·r}. It stops as soon as the prediction at {@code x + (1 + η)·r}
 * differs from k̂ (flipped), or after {@code maxIterations} steps (not flipped: the size reported
 * is that of the perturbation accumulated so far, as the authors' code returns it), or when no
 * class direction has a non-zero gradient (stuck: likewise). The size is {@code ||r||₂}, never NaN.
 *
 * <p>Inputs stay in [0, 1]: whenever a step would leave it, r is projected so that {@code x + (1 +
 * η)·r} is the clipped point. For an affine classifier far from the bounds one step lands exactly
 * on the closest boundary, so the size is {@code min_k |f_k − f_k̂| / ||w_k − w_k̂||} (+10⁻⁴).
 *
 * <p>Batched: up to {@code batchSize} inputs are worked on together; one batched iteration is one
 * forward pass and c − 1 backward passes, one per other class, each seeded with {@code e_k − e_k̂}
 * so that it yields {@code w_k} directly (the graph is kept between them). A finished input leaves
 * the batch and the next one takes its place, so batches stay full. Every input's arithmetic is its
 * own, so results do not depend on batch composition (beyond the engine's float rounding), and the
 * same inputs give the same results. The engine's gradient mode is global: one run (or training
 * step) at a time per JVM.
 */
public final class DeepFoolSearch {
  /** Added to every step's length, as the authors' code does. */
  public static final double STEP_MARGIN = 1e-4;

  /** A source of inputs in [0, 1], read one at a time. */
  public interface Inputs {
    /** Number of inputs. */
    int size();

    /** Writes input {@code index} (values in [0, 1]) to {@code out[offset ..]}. */
    void read(int index, float[] out, int offset);

    /** How an input is named in error messages. */
    default String name(int index) {
      return "input " + index;
    }

    /** {@code count} inputs stored one after the other in {@code values}. */
    static Inputs of(float[] values, int count) {
      if (count < 0 || (count > 0 && values.length % count != 0)) {
        throw new IllegalArgumentException(
            values.length + " values do not split into " + count + " inputs");
      }
      int length = count == 0 ? 0 : values.length / count;
      return new Inputs() {
        @Override
        public int size() {
          return count;
        }

        @Override
        public void read(int index, float[] out, int offset) {
          System.arraycopy(values, index * length, out, offset, length);
        }
      };
    }
  }

  private final DifferentiableClassifier classifier;
  private final Shape itemShape;
  private final int length;
  private final DeepFoolConfig config;

  /**
   * @param classifier the function attacked
   * @param itemShape the shape of one input, without the batch dimension (e.g. (1, H, W))
   * @param config iterations, overshoot, batch size
   */
  public DeepFoolSearch(
      DifferentiableClassifier classifier, Shape itemShape, DeepFoolConfig config) {
    if (itemShape.dimension() == 0 || itemShape.size() <= 0) {
      throw new IllegalArgumentException(
          "DeepFool needs a non-empty input shape, got " + itemShape);
    }
    this.classifier = classifier;
    this.itemShape = itemShape;
    this.length = Math.toIntExact(itemShape.size());
    this.config = config;
  }

  /**
   * Runs DeepFool on every input.
   *
   * @param manager parent of the per-iteration scratch memory
   * @param inputs the inputs, in [0, 1]
   * @param hooks progress and cancellation
   * @param keepPerturbations whether to return every perturbation r (n × input size floats)
   * @throws TrainingCancelledException when the hooks cancel the run
   * @throws IllegalStateException when the classifier yields non-finite logits
   */
  public DeepFoolResult run(
      NDManager manager, Inputs inputs, DeepFoolHooks hooks, boolean keepPerturbations) {
    return new Run(manager, inputs, hooks, keepPerturbations).execute();
  }

  /** The state of one run: the batch's slots and the results. */
  private final class Run {
    private final NDManager manager;
    private final Inputs inputs;
    private final DeepFoolHooks hooks;
    private final int n;
    private final int batch;
    private final float scale;
    // results, by input
    private final float[] sizes;
    private final int[] iterations;
    private final boolean[] flipped;
    private final int[] originalClasses;
    private final int[] finalClasses;
    private final float[] perturbations;
    // slots of the working batch
    private final int[] slotInput;
    private final int[] slotClass;
    private final int[] slotSteps;
    private final float[] x0;
    private final float[] r;
    private int active;
    private int next;
    private int done;
    private int doneFlipped;
    private long batchIterations;
    private int classes = -1;
    private final long started = System.nanoTime();

    Run(NDManager manager, Inputs inputs, DeepFoolHooks hooks, boolean keepPerturbations) {
      this.manager = manager;
      this.inputs = inputs;
      this.hooks = hooks;
      this.n = inputs.size();
      this.batch = Math.max(1, Math.min(config.batchSize(), n));
      this.scale = (float) (1 + config.overshoot());
      this.sizes = new float[n];
      this.iterations = new int[n];
      this.flipped = new boolean[n];
      this.originalClasses = new int[n];
      this.finalClasses = new int[n];
      this.perturbations = keepPerturbations ? new float[Math.multiplyExact(n, length)] : null;
      this.slotInput = new int[batch];
      this.slotClass = new int[batch];
      this.slotSteps = new int[batch];
      this.x0 = new float[batch * length];
      this.r = new float[batch * length];
    }

    DeepFoolResult execute() {
      report(); // the phase has started: nothing done yet
      while (true) {
        refill();
        if (active == 0) {
          break;
        }
        if (hooks.isCancelled()) {
          throw new TrainingCancelledException(done);
        }
        iterate();
        batchIterations++;
        report();
      }
      return new DeepFoolResult(
          sizes, iterations, flipped, originalClasses, finalClasses, perturbations);
    }

    private void refill() {
      while (active < batch && next < n) {
        int s = active++;
        slotInput[s] = next;
        slotClass[s] = -1;
        slotSteps[s] = 0;
        inputs.read(next, x0, s * length);
        for (int j = s * length; j < (s + 1) * length; j++) {
          if (!(x0[j] >= 0f && x0[j] <= 1f)) {
            throw new IllegalArgumentException(
                inputs.name(next) + " has value " + x0[j] + " outside [0, 1]");
          }
          r[j] = 0f;
        }
        next++;
      }
    }

    /** One forward pass over the batch, the class gradients, and one step for each slot. */
    private void iterate() {
      float[] x = new float[active * length];
      for (int j = 0; j < x.length; j++) {
        x[j] = clamp(x0[j] + scale * r[j]);
      }
      boolean[] finished = new boolean[active];
      try (NDManager scratch = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray input = scratch.create(x, batchShape(active));
        input.setRequiresGradient(true);
        NDArray logits = classifier.logits(input);
        float[] f = logits(logits);
        int needing = 0;
        for (int s = 0; s < active; s++) {
          int predicted = argMax(f, s);
          if (slotClass[s] < 0) {
            slotClass[s] = predicted;
            originalClasses[slotInput[s]] = predicted;
          }
          if (predicted != slotClass[s]) {
            finish(s, true, predicted);
            finished[s] = true;
          } else if (slotSteps[s] >= config.maxIterations()) {
            finish(s, false, predicted);
            finished[s] = true;
          } else {
            needing++;
          }
        }
        if (needing > 0) {
          float[][] directions = directions(scratch, input, logits, finished);
          for (int s = 0; s < active; s++) {
            if (!finished[s] && !step(s, f, directions)) {
              finish(s, false, slotClass[s]);
              finished[s] = true;
            }
          }
        }
      }
      compact(finished);
    }

    private float[] logits(NDArray logits) {
      Shape shape = logits.getShape();
      if (shape.dimension() != 2 || shape.get(0) != active) {
        throw new IllegalStateException(
            "the classifier returned logits of shape " + shape + " for a batch of " + active);
      }
      int c = Math.toIntExact(shape.get(1));
      if (classes < 0) {
        if (c < 2) {
          throw new IllegalStateException("DeepFool needs at least 2 classes, got " + c);
        }
        classes = c;
      } else if (c != classes) {
        throw new IllegalStateException(
            "the classifier returned " + c + " classes, earlier " + classes);
      }
      float[] f = logits.toFloatArray();
      for (int s = 0; s < active; s++) {
        for (int k = 0; k < classes; k++) {
          if (!Float.isFinite(f[s * classes + k])) {
            throw new IllegalStateException(
                "DeepFool: the logits of "
                    + inputs.name(slotInput[s])
                    + " are not finite after "
                    + slotSteps[s]
                    + " steps ("
                    + f[s * classes + k]
                    + " for class "
                    + k
                    + ")");
          }
        }
      }
      return f;
    }

    /**
     * The class directions of every unfinished slot, by one backward pass per other class: entry j
     * holds, for slot s with predicted class k̂, {@code w = ∇f_k − ∇f_k̂} of the j-th class k ≠ k̂
     * (rows of finished slots are zero). Seeding the backward pass with {@code e_k − e_k̂} gives
     * the difference directly: c − 1 passes instead of c, and no cancellation in floats.
     */
    private float[][] directions(NDManager scratch, NDArray input, NDArray logits, boolean[] skip) {
      PtNDArray output = pytorch(logits);
      PtNDArray leaf = pytorch(input);
      float[][] directions = new float[classes - 1][];
      for (int j = 0; j < classes - 1; j++) {
        float[] seed = new float[active * classes];
        for (int s = 0; s < active; s++) {
          if (!skip[s]) {
            seed[s * classes + other(j, slotClass[s])] = 1f;
            seed[s * classes + slotClass[s]] = -1f;
          }
        }
        NDArray seedArray = scratch.create(seed, new Shape(active, classes));
        JniUtils.backward(output, pytorch(seedArray), j < classes - 2, false);
        NDArray gradient = input.getGradient();
        directions[j] = gradient.toFloatArray();
        gradient.close();
        JniUtils.zeroGrad(leaf);
      }
      return directions;
    }

    /** One DeepFool step for slot s; false when no class direction can be followed. */
    private boolean step(int s, float[] f, float[][] directions) {
      int own = slotClass[s];
      int base = s * length;
      double best = Double.POSITIVE_INFINITY;
      int target = -1;
      double targetNorm = 0;
      for (int j = 0; j < classes - 1; j++) {
        float[] w = directions[j];
        double squares = 0;
        for (int i = base; i < base + length; i++) {
          squares += (double) w[i] * w[i];
        }
        double norm = Math.sqrt(squares);
        if (!(norm > 0) || !Double.isFinite(norm)) {
          continue;
        }
        int k = other(j, own);
        double distance = Math.abs((double) f[s * classes + k] - f[s * classes + own]) / norm;
        if (distance < best) {
          best = distance;
          target = j;
          targetNorm = norm;
        }
      }
      if (target < 0) {
        return false;
      }
      double factor = (best + STEP_MARGIN) / targetNorm;
      float[] w = directions[target];
      boolean outside = false;
      for (int i = base; i < base + length; i++) {
        r[i] = (float) (r[i] + factor * w[i]);
        float moved = x0[i] + scale * r[i];
        outside |= moved < 0f || moved > 1f;
      }
      if (outside) {
        for (int i = base; i < base + length; i++) {
          float moved = x0[i] + scale * r[i];
          if (moved < 0f || moved > 1f) {
            r[i] = (clamp(moved) - x0[i]) / scale;
          }
        }
      }
      slotSteps[s]++;
      return true;
    }

    private void finish(int s, boolean isFlipped, int finalClass) {
      int input = slotInput[s];
      int base = s * length;
      double squares = 0;
      for (int j = base; j < base + length; j++) {
        squares += (double) r[j] * r[j];
      }
      sizes[input] = (float) Math.sqrt(squares);
      iterations[input] = slotSteps[s];
      flipped[input] = isFlipped;
      finalClasses[input] = finalClass;
      if (perturbations != null) {
        System.arraycopy(r, base, perturbations, input * length, length);
      }
      done++;
      doneFlipped += isFlipped ? 1 : 0;
    }

    /** Moves the unfinished slots to the front, in order. */
    private void compact(boolean[] finished) {
      int kept = 0;
      for (int s = 0; s < active; s++) {
        if (finished[s]) {
          continue;
        }
        if (kept != s) {
          slotInput[kept] = slotInput[s];
          slotClass[kept] = slotClass[s];
          slotSteps[kept] = slotSteps[s];
          System.arraycopy(x0, s * length, x0, kept * length, length);
          System.arraycopy(r, s * length, r, kept * length, length);
        }
        kept++;
      }
      active = kept;
    }

    private void report() {
      double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
      double rate = done / seconds;
      Duration eta =
          rate > 0 ? Duration.ofMillis(Math.round((n - done) / rate * 1000)) : Duration.ZERO;
      hooks.onProgress(new DeepFoolProgress(done, n, doneFlipped, batchIterations, rate, eta));
    }

    private int argMax(float[] f, int s) {
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (f[s * classes + k] > f[s * classes + best]) {
          best = k;
        }
      }
      return best;
    }
  }

  /** The j-th class other than {@code own}. */
  private static int other(int j, int own) {
    return j < own ? j : j + 1;
  }

  private Shape batchShape(int size) {
    long[] dims = new long[itemShape.dimension() + 1];
    dims[0] = size;
    System.arraycopy(itemShape.getShape(), 0, dims, 1, itemShape.dimension());
    return new Shape(dims);
  }

  private static PtNDArray pytorch(NDArray array) {
    if (array instanceof PtNDArray pt) {
      return pt;
    }
    throw new IllegalStateException(
        "DeepFool needs the PyTorch engine's arrays, got " + array.getClass().getName());
  }

  private static float clamp(float v) {
    return v < 0f ? 0f : (v > 1f ? 1f : v);
  }
}
