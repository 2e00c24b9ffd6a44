package io.alfer.ingest.importing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One bulk import and its progress. Counters are updated by the import's workers and read by the
 * REST view at any time; {@code accepted + duplicates + refused == done} once it has finished. An
 * import that took nothing in (every item refused, or none at all) ends {@link State#REFUSED}.
 */
public final class ImportJob {
  /** Where an import stands. */
  public enum State {
    RUNNING,
    SUCCEEDED,
    /** Nothing was taken in: every item was refused, or there was none; nothing was created. */
    REFUSED,
    FAILED
  }

  /**
   * One refused row or file.
   *
   * @param source row ({@code file.csv:line}) or archive path
   * @param reason stable reason, e.g. {@code bad_row}, {@code truncated}
   * @param message what was wrong
   */
  public record Refusal(String source, String reason, String message) {}

  private final String id;
  private final String dataset;
  private final String layout;
  private final long total;
  private final int refusalsKept;
  private final Instant startedAt = Instant.now();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final AtomicLong read = new AtomicLong();
  private final Map<String, LongAdder> refusedByReason = new ConcurrentHashMap<>();
  private final List<Refusal> refusals = new ArrayList<>();
  private volatile State state = State.RUNNING;
  private volatile String error;
  private volatile Instant finishedAt;

  ImportJob(String id, String dataset, String layout, long total, int refusalsKept) {
    this.id = id;
    this.dataset = dataset;
    this.layout = layout;
    this.total = total;
    this.refusalsKept = refusalsKept;
  }

  void itemRead() {
    read.incrementAndGet();
  }

  void accepted() {
    accepted.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void refused(String source, String reason, String message) {
    refused.increment();
    refusedByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    synchronized (refusals) {
      if (refusals.size() < refusalsKept) {
        refusals.add(new Refusal(source, reason, message));
      }
    }
  }

  void succeeded() {
    finishedAt = Instant.now();
    state = State.SUCCEEDED;
  }

  /** Whether nothing of the upload is in the dataset: no item accepted, none already there. */
  boolean tookNothing() {
    return accepted.sum() == 0 && duplicates.sum() == 0;
  }

  /** Why an import that took nothing was refused, for people. */
  String nothingTaken() {
    long refusedItems = refused.sum();
    if (refusedItems == 0) {
      return "nothing imported: the upload holds no items";
    }
    StringBuilder reasons = new StringBuilder();
    new TreeMap<>(refusedByReason)
        .forEach(
            (reason, n) ->
                reasons
                    .append(reasons.isEmpty() ? "" : ", ")
                    .append(reason)
                    .append(": ")
                    .append(n.sum()));
    return "nothing imported: "
        + (refusedItems == 1 ? "its only item was" : "all " + refusedItems + " items were")
        + " refused ("
        + reasons
        + ")";
  }

  void refusedWhole(String message) {
    error = message;
    finishedAt = Instant.now();
    state = State.REFUSED;
  }

  void failed(String message) {
    error = message;
    finishedAt = Instant.now();
    state = State.FAILED;
  }

  public String id() {
    return id;
  }

  public State state() {
    return state;
  }

  /** A consistent-enough snapshot for the REST view. */
  public ImportView view() {
    long done = accepted.sum() + duplicates.sum() + refused.sum();
    Map<String, Long> byReason = new TreeMap<>();
    refusedByReason.forEach((k, v) -> byReason.put(k, v.sum()));
    List<Refusal> kept;
    synchronized (refusals) {
      kept = List.copyOf(refusals);
    }
    Instant end = finishedAt == null ? Instant.now() : finishedAt;
    double seconds = Math.max(1e-3, (end.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
    return new ImportView(
        id,
        dataset,
        layout,
        state,
        done,
        state == State.RUNNING ? Math.max(total, done) : done,
        accepted.sum(),
        duplicates.sum(),
        refused.sum(),
        byReason,
        kept,
        done / seconds,
        startedAt,
        finishedAt,
        error);
  }
}
