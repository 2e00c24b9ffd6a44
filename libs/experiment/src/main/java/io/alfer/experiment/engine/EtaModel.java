package io.alfer.experiment.engine;

import io.alfer.experiment.config.Mode;
import io.alfer.experiment.results.ResultRow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Estimates a round's wall time from the rounds measured so far (this run's and those logged
 * before): per mode, a least-squares line of seconds against labelled images, since fine-tuning
 * grows with the labelled set; the mean when there are too few distinct sizes.
 */
public final class EtaModel {
  private final Map<Mode, List<double[]>> samples = new EnumMap<>(Mode.class);

  /** Adds a measured round. */
  public void add(ResultRow row) {
    samples
        .computeIfAbsent(row.mode(), m -> new ArrayList<>())
        .add(new double[] {row.labelled(), row.seconds()});
  }

  /** Seconds a round of {@code mode} with {@code labelled} images should take, if known. */
  public OptionalDouble seconds(Mode mode, int labelled) {
    List<double[]> points = samples.get(mode);
    if (points == null || points.isEmpty()) {
      List<double[]> all = new ArrayList<>();
      samples.values().forEach(all::addAll);
      points = all;
    }
    if (points.isEmpty()) {
      return OptionalDouble.empty();
    }
    double n = points.size();
    double sx = 0;
    double sy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[1];
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : points) {
      sxx += (p[0] - mx) * (p[0] - mx);
      sxy += (p[0] - mx) * (p[1] - my);
    }
    if (sxx < 1e-9) {
      return OptionalDouble.of(my);
    }
    double slope = Math.max(0, sxy / sxx);
    return OptionalDouble.of(Math.max(0, my + slope * (labelled - mx)));
  }
}
