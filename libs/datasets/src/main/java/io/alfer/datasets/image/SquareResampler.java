package io.alfer.datasets.image;

/**
 * Centre-crops a gray image to a square and resizes it to {@code size × size}: area averaging (each
 * output pixel is the exact mean of the source area it covers) when shrinking, bilinear
 * interpolation when enlarging. Separable, in double precision, rounded once at the end.
 */
final class SquareResampler {

  private SquareResampler() {}

  static byte[] cropAndResize(byte[] gray, int width, int height, int size) {
    int side = Math.min(width, height);
    int left = (width - side) / 2;
    int top = (height - side) / 2;
    if (side == size) {
      return crop(gray, width, left, top, side);
    }
    Kernel kernel = side > size ? Kernel.area(side, size) : Kernel.bilinear(side, size);
    double[] rows = new double[side * size]; // side rows, each resized to size columns
    for (int y = 0; y < side; y++) {
      int rowStart = (top + y) * width + left;
      for (int x = 0; x < size; x++) {
        double sum = 0;
        for (int k = kernel.start[x]; k < kernel.start[x + 1]; k++) {
          sum += kernel.weight[k] * (gray[rowStart + kernel.index[k]] & 0xff);
        }
        rows[y * size + x] = sum;
      }
    }
    byte[] out = new byte[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double sum = 0;
        for (int k = kernel.start[y]; k < kernel.start[y + 1]; k++) {
          sum += kernel.weight[k] * rows[kernel.index[k] * size + x];
        }
        out[y * size + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(sum)));
      }
    }
    return out;
  }

  private static byte[] crop(byte[] gray, int width, int left, int top, int side) {
    if (side == width && top == 0) {
      return gray.clone();
    }
    byte[] out = new byte[side * side];
    for (int y = 0; y < side; y++) {
      System.arraycopy(gray, (top + y) * width + left, out, y * side, side);
    }
    return out;
  }

  /**
   * One-dimensional resampling weights: output {@code i} is the sum over {@code k} in {@code
   * start[i]..start[i+1]-1} of {@code weight[k] * source[index[k]]}.
   */
  private record Kernel(int[] start, int[] index, double[] weight) {

    /** Each output covers {@code src/dst} source pixels; weights are the covered fractions. */
    static Kernel area(int src, int dst) {
      Builder builder = new Builder(dst, src + dst);
      double scale = (double) src / dst;
      for (int i = 0; i < dst; i++) {
        double from = i * scale;
        double to = (i + 1) * scale;
        for (int s = (int) Math.floor(from); s < Math.min(src, (int) Math.ceil(to)); s++) {
          double covered = Math.min(to, s + 1) - Math.max(from, s);
          if (covered > 0) {
            builder.add(s, covered / scale);
          }
        }
        builder.endOutput();
      }
      return builder.build();
    }

    /** Linear interpolation between the two nearest source pixel centres. */
    static Kernel bilinear(int src, int dst) {
      Builder builder = new Builder(dst, 2 * dst);
      double scale = (double) src / dst;
      for (int i = 0; i < dst; i++) {
        double centre = Math.max(0, Math.min(src - 1, (i + 0.5) * scale - 0.5));
        int low = (int) Math.floor(centre);
        int high = Math.min(src - 1, low + 1);
        double fraction = centre - low;
        builder.add(low, 1 - fraction);
        if (high != low) {
          builder.add(high, fraction);
        }
        builder.endOutput();
      }
      return builder.build();
    }

    private static final class Builder {
      private final int[] start;
      private int[] index;
      private double[] weight;
      private int outputs;
      private int terms;

      Builder(int outputs, int capacity) {
        this.start = new int[outputs + 1];
        this.index = new int[capacity];
        this.weight = new double[capacity];
      }

      void add(int sourceIndex, double w) {
        if (terms == index.length) {
          index = java.util.Arrays.copyOf(index, terms * 2);
          weight = java.util.Arrays.copyOf(weight, terms * 2);
        }
        index[terms] = sourceIndex;
        weight[terms] = w;
        terms++;
      }

      void endOutput() {
        start[++outputs] = terms;
      }

      Kernel build() {
        return new Kernel(start, index, weight);
      }
    }
  }
}
