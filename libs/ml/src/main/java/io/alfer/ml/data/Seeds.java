package io.alfer.ml.data;

import ai.djl.engine.Engine;
import io.alfer.ml.engine.EngineSetup;

/**
 * Derives independent random seeds from a run seed and coordinates (epoch, image, view, ...), so
 * that every random choice depends only on where it is made, not on the order of earlier draws.
 */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed 64-bit seed from a base seed and any number of coordinates. */
  public static long derive(long seed, long... coordinates) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (long c : coordinates) {
      h = mix(h ^ mix(c + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  // SplitMix64 finaliser.
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Seeds the engine's global generator (dropout, initialisation) from a 64-bit seed. */
  public static void seedEngine(long seed) {
    EngineSetup.prepare();
    Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
  }
}
