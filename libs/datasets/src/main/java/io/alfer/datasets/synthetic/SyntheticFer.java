package io.alfer.datasets.synthetic;

import io.alfer.datasets.ClassTaxonomy;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A deterministic generator of FER2013-like data: 48×48 grayscale cartoon faces showing the seven
 * basic expressions through brows, eyes, nose and mouth, with varied identity, pose, lighting,
 * noise and occasional occlusion; FER2013's class imbalance and its 80/10/10 Training, PublicTest,
 * PrivateTest usage split.
 *
 * <p>Sample {@code i} depends only on the seed and {@code i}: the same seed always gives the same
 * bytes. An instance reuses a drawing canvas and is not thread-safe.
 */
public final class SyntheticFer {

  /** Image side in pixels. */
  public static final int SIZE = 48;

  /** Number of images in FER2013. */
  public static final int FER2013_SIZE = 35_887;

  /** FER2013 usage of pool images. */
  public static final String TRAINING = "Training";

  /** FER2013 usage of the public test images. */
  public static final String PUBLIC_TEST = "PublicTest";

  /** FER2013 usage of the private test images. */
  public static final String PRIVATE_TEST = "PrivateTest";

  /** Class shares in FER7 order, as in FER2013 (angry 13.8 %, disgust 1.5 %, … neutral 17.3 %). */
  private static final double[] SHARES = {0.138, 0.015, 0.143, 0.25, 0.169, 0.112, 0.173};

  private final long seed;
  private final FaceRenderer renderer = new FaceRenderer(SIZE);

  /** A generator whose every sample is fixed by {@code seed}. */
  public SyntheticFer(long seed) {
    this.seed = seed;
  }

  /**
   * Writes a synthetic FER2013 CSV. Usage: {@code SyntheticFer out.csv [count [seed]]}; count
   * defaults to 35887 (FER2013's size), seed to 1.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SyntheticFer out.csv [count [seed]]");
      System.exit(2);
    }
    int count = args.length > 1 ? Integer.parseInt(args[1]) : FER2013_SIZE;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    Path out = Path.of(args[0]);
    try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(out))) {
      new SyntheticFer(seed).writeFer2013Csv(stream, count);
    }
    System.out.println("wrote " + count + " faces to " + out.toAbsolutePath());
  }

  /** The expected share of each FER7 class, in label order. */
  public static double share(int label) {
    return SHARES[label];
  }

  /** Sample number {@code index}. */
  public Sample sample(int index) {
    RandomGenerator rng = new SplittableRandom(mix(seed, index));
    int label = drawLabel(rng.nextDouble());
    double u = rng.nextDouble();
    String usage = u < 0.8 ? TRAINING : u < 0.9 ? PUBLIC_TEST : PRIVATE_TEST;
    Identity who = Identity.random(rng, renderer.canvas());
    Expression what = Expression.of(label, rng);
    return new Sample(index, label, usage, renderer.render(who, what, rng));
  }

  /** Samples {@code 0 .. count-1}, generated as they are consumed. */
  public Iterator<Sample> samples(int count) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Sample next() {
        if (next >= count) {
          throw new NoSuchElementException("only " + count + " samples");
        }
        return sample(next++);
      }
    };
  }

  /**
   * Writes samples {@code 0 .. count-1} as a FER2013 CSV ({@code emotion,pixels,Usage}, {@code \n}
   * line ends). The stream is flushed, not closed.
   */
  public void writeFer2013Csv(OutputStream out, int count) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
    writer.write("emotion,pixels,Usage\n");
    StringBuilder line = new StringBuilder(SIZE * SIZE * 4 + 32);
    for (Iterator<Sample> it = samples(count); it.hasNext(); ) {
      Sample sample = it.next();
      line.setLength(0);
      line.append(sample.label()).append(',');
      byte[] pixels = sample.pixels();
      for (int i = 0; i < pixels.length; i++) {
        if (i > 0) {
          line.append(' ');
        }
        line.append(pixels[i] & 0xff);
      }
      line.append(',').append(sample.usage()).append('\n');
      writer.append(line);
    }
    writer.flush();
  }

  private static int drawLabel(double u) {
    double cumulative = 0;
    for (int label = 0; label < SHARES.length; label++) {
      cumulative += SHARES[label];
      if (u < cumulative) {
        return label;
      }
    }
    return ClassTaxonomy.NEUTRAL;
  }

  /** A well-mixed per-sample seed (SplitMix64 finaliser over seed and index). */
  private static long mix(long seed, int index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
