package io.alfer.experiment.engine;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.ExperimentPlan;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.experiment.report.ReportWriter;
import io.alfer.experiment.results.ResultsLog;
import io.alfer.experiment.results.RunManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan's cells into a results directory: claims the directory for the protocol (refusing one
 * that holds another configuration), skips every cell the log already completes, runs the rest in
 * plan order (at most {@code maxCells} of them when set) and rewrites the tables, plots and report
 * after every cell.
 */
public final class ExperimentRunner {
  private final ExperimentPlan plan;
  private final ExperimentData data;
  private final Path results;
  private final CellExecutor executor;
  private final ExperimentListener listener;

  public ExperimentRunner(
      ExperimentPlan plan,
      ExperimentData data,
      Path results,
      CellExecutor executor,
      ExperimentListener listener) {
    this.plan = plan;
    this.data = data;
    this.results = results;
    this.executor = executor;
    this.listener = listener;
  }

  /**
   * What a run did.
   *
   * @param ran cells run (fully or from where they had stopped) in this run
   * @param skipped cells the log already held complete
   * @param remaining cells left for a later run (when {@code maxCells} stopped it)
   */
  public record Outcome(int ran, int skipped, int remaining) {}

  /**
   * Runs the plan.
   *
   * @param maxCells the most cells to run now (0: all)
   * @param run what to record about this run in the manifest (profile, command)
   */
  public Outcome run(int maxCells, Map<String, Object> run) {
    checkSizes(plan.protocol(), data.poolSize());
    RunManifest.claim(
        results, identity(plan.protocol(), data, executor.execution()), runEntry(run));
    int last = plan.protocol().rounds();
    try (ResultsLog log = ResultsLog.open(results, data.catalog().classes(), listener::message)) {
      List<Cell> todo = new ArrayList<>();
      int skipped = 0;
      for (Cell cell : plan.cells()) {
        if (log.roundsOf(cell).size() == last + 1) {
          skipped++;
        } else {
          todo.add(cell);
        }
      }
      if (skipped > 0) {
        listener.message(
            skipped
                + " of "
                + plan.cells().size()
                + " cells are complete in "
                + log.file()
                + " and are not run again");
      }
      int limit = maxCells > 0 ? Math.min(maxCells, todo.size()) : todo.size();
      listener.planned(todo.subList(0, limit), log.rows(), plan.protocol(), data.poolSize());
      for (int i = 0; i < limit; i++) {
        executor.run(todo.get(i), log, listener, i + 1, limit);
        ReportWriter.write(results, plan.protocol(), data, log.rows());
      }
      ReportWriter.write(results, plan.protocol(), data, log.rows());
      return new Outcome(limit, skipped, todo.size() - limit);
    }
  }

  /**
   * What must match for results to share a directory: the protocol, the dataset snapshot and how
   * the cells run.
   */
  public static Map<String, Object> identity(
      Protocol protocol, ExperimentData data, String execution) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("execution", execution);
    identity.put("protocol", protocol.describe());
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("pool_snapshot", data.poolSnapshot());
    dataset.put("test_snapshot", data.testSnapshot());
    dataset.put("pool_size", data.poolSize());
    dataset.put("test_size", data.test().size());
    dataset.put("classes", data.catalog().classes());
    dataset.put("image_side", data.imageSide());
    identity.put("dataset", dataset);
    return identity;
  }

  /** Refuses sizes the pool cannot satisfy, before anything runs. */
  public static void checkSizes(Protocol protocol, int poolSize) {
    int initial = protocol.initialCount(poolSize);
    int budget = protocol.budgetCount(poolSize);
    long total = initial + (long) budget * protocol.rounds();
    if (initial < 2) {
      throw new IllegalArgumentException(
          "the initial set would hold "
              + initial
              + " images of a pool of "
              + poolSize
              + "; fine-tuning needs at least 2");
    }
    if (protocol.rounds() > 0 && budget < 1) {
      throw new IllegalArgumentException(
          "the per-round budget is " + budget + " images of a pool of " + poolSize);
    }
    if (total > poolSize) {
      throw new IllegalArgumentException(
          "the protocol labels "
              + initial
              + " + "
              + protocol.rounds()
              + " × "
              + budget
              + " = "
              + total
              + " images, more than the pool's "
              + poolSize);
    }
  }

  /** Labelled images after {@code round} (the same for every cell). */
  public static int labelledAfter(Protocol protocol, int poolSize, int round) {
    return protocol.initialCount(poolSize) + round * protocol.budgetCount(poolSize);
  }

  private Map<String, Object> runEntry(Map<String, Object> run) {
    Map<String, Object> entry = new LinkedHashMap<>(run);
    entry.put("strategies", plan.strategies());
    entry.put("modes", plan.modes().stream().map(Mode::label).toList());
    entry.put("seeds", plan.seeds());
    return entry;
  }
}
