package io.alfer.experiment.engine;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.experiment.results.ResultRow;
import io.alfer.ml.deepfool.DeepFoolProgress;
import io.alfer.ml.train.EpochSummary;
import io.alfer.ml.train.TrainingProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Progress on a console: which cell and round, each round's result and time, and the estimated time
 * left for the whole run ({@link EtaModel} over every round still to do). Training steps are shown
 * at most every {@code interval}.
 */
public final class ConsoleProgress implements ExperimentListener {
  private final PrintWriter out;
  private final long intervalNanos;
  private final EtaModel eta = new EtaModel();
  private final Set<String> pending = new LinkedHashSet<>();
  private final List<Pending> pendingRounds = new ArrayList<>();
  private long lastStep;
  private String prefix = "";
  private int roundsTotal;
  private int roundsDone;

  private record Pending(Cell cell, int round, int labelled) {
    String key() {
      return cell.fileKey() + "@" + round;
    }
  }

  public ConsoleProgress(PrintWriter out, Duration interval) {
    this.out = out;
    this.intervalNanos = interval.toNanos();
  }

  @Override
  public synchronized void planned(
      List<Cell> cells, List<ResultRow> history, Protocol protocol, int poolSize) {
    history.forEach(eta::add);
    Set<String> logged = new java.util.HashSet<>();
    history.forEach(r -> logged.add(r.key()));
    for (Cell cell : cells) {
      for (int round = 0; round <= protocol.rounds(); round++) {
        Pending p =
            new Pending(cell, round, ExperimentRunner.labelledAfter(protocol, poolSize, round));
        if (!logged.contains(p.key())) {
          pending.add(p.key());
          pendingRounds.add(p);
        }
      }
    }
    roundsTotal = pendingRounds.size();
    print(
        String.format(
            "plan: %d cells, %d rounds to run (%d labelled in round 0, +%d per round, %d rounds)"
                + "%s",
            cells.size(),
            roundsTotal,
            protocol.initialCount(poolSize),
            protocol.budgetCount(poolSize),
            protocol.rounds(),
            etaText()));
  }

  @Override
  public synchronized void message(String line) {
    print(line);
  }

  @Override
  public synchronized void pretraining(long seed, TrainingProgress p) {
    if (!due()) {
      return;
    }
    print(
        String.format(
            Locale.ROOT,
            "pre-training seed %d: epoch %d/%d, step %d/%d, loss %.4f, %.0f images/s, %s left",
            seed,
            p.epoch() + 1,
            p.epochs(),
            p.step(),
            p.totalSteps(),
            p.loss(),
            p.imagesPerSecond(),
            duration(p.eta().toSeconds())));
  }

  @Override
  public synchronized void pretrainingEpoch(long seed, EpochSummary e) {
    if (e.quality().isEmpty() || (!due() && e.epoch() != e.epochs())) {
      return;
    }
    print(
        String.format(
            Locale.ROOT,
            "pre-training seed %d: epoch %d/%d done, loss %.4f; on the test split: k-NN %.1f %%,"
                + " linear probe %.1f %%",
            seed,
            e.epoch(),
            e.epochs(),
            e.loss(),
            100 * e.quality().get().knnAccuracy(),
            100 * e.quality().get().linearProbeAccuracy()));
  }

  @Override
  public synchronized void cellStarted(Cell cell, int index, int total, int fromRound) {
    prefix = "[" + index + "/" + total + "] " + cell.label();
    print(prefix + (fromRound > 0 ? ": going on from round " + fromRound : ": starting"));
  }

  @Override
  public synchronized void training(Cell cell, int round, TrainingProgress p) {
    if (!due()) {
      return;
    }
    print(
        String.format(
            Locale.ROOT,
            "%s round %d: fine-tuning epoch %d/%d, loss %.4f",
            prefix,
            round,
            p.epoch() + 1,
            p.epochs(),
            p.loss()));
  }

  @Override
  public synchronized void deepFool(Cell cell, int round, DeepFoolProgress p) {
    if (!due()) {
      return;
    }
    print(
        String.format(
            Locale.ROOT,
            "%s round %d: DeepFool %d/%d images (%.1f images/s), %s left",
            prefix,
            round,
            p.done(),
            p.total(),
            p.imagesPerSecond(),
            duration(p.eta().toSeconds())));
  }

  @Override
  public synchronized void roundDone(Cell cell, ResultRow row) {
    eta.add(row);
    String key = row.key();
    if (pending.remove(key)) {
      pendingRounds.removeIf(p -> p.key().equals(key));
      roundsDone++;
    }
    print(
        String.format(
            Locale.ROOT,
            "%s round %d: %d labelled, accuracy %.2f%% (%.1f s: select %.1f s, fine-tune %.1f s,"
                + " %d epochs) | %d/%d rounds%s",
            prefix,
            row.round(),
            row.labelled(),
            100 * row.accuracy(),
            row.seconds(),
            row.selectSeconds(),
            row.trainSeconds(),
            row.epochs(),
            roundsDone,
            roundsTotal,
            etaText()));
  }

  @Override
  public synchronized void cellDone(Cell cell) {
    print(prefix + ": done");
  }

  /** Estimated seconds left, if any round has been measured. */
  public synchronized OptionalDouble secondsLeft() {
    double total = 0;
    for (Pending p : pendingRounds) {
      OptionalDouble s = eta.seconds(p.cell().mode(), p.labelled());
      if (s.isEmpty()) {
        return OptionalDouble.empty();
      }
      total += s.getAsDouble();
    }
    return OptionalDouble.of(total);
  }

  private String etaText() {
    OptionalDouble left = secondsLeft();
    if (pendingRounds.isEmpty()) {
      return "";
    }
    return left.isPresent()
        ? ", about " + duration((long) left.getAsDouble()) + " left"
        : ", time left unknown until a round is measured";
  }

  private boolean due() {
    long now = System.nanoTime();
    if (now - lastStep < intervalNanos) {
      return false;
    }
    lastStep = now;
    return true;
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }

  /** 3725 → "1h 02m"; 75 → "1m 15s". */
  static String duration(long seconds) {
    if (seconds >= 3600) {
      return String.format("%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
    }
    if (seconds >= 60) {
      return String.format("%dm %02ds", seconds / 60, seconds % 60);
    }
    return seconds + "s";
  }
}
