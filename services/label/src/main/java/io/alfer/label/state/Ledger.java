package io.alfer.label.state;

import io.alfer.core.messaging.Origins;
import io.alfer.core.storage.Hashes;
import io.alfer.label.consensus.Consensus;
import io.alfer.label.consensus.Decision;
import io.alfer.label.consensus.Vote;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.Origin;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.proto.v1.UnansweredPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Everything the label service knows: dataset taxonomies, every issued task, the state of every
 * annotation slot, accepted annotations, announced labels, refusals already dead-lettered and the
 * per-vendor counts. It is a pure function of what was read from the topics (and of what this
 * process decided and wrote there): replaying the topics into a fresh ledger rebuilds it (see
 * {@code adr/0001-task-state.md}). Every method is idempotent for a repeated input and
 * synchronised; nothing here talks to Kafka or S3.
 */
public final class Ledger {
  private final Consensus.Settings consensusSettings;
  private final Runnable onFit;
  private final Map<String, List<String>> taxonomies = new HashMap<>();
  private final Map<String, LabelTask> tasks = new HashMap<>();
  private final Map<String, ImageJob> jobs = new LinkedHashMap<>();
  private final Map<String, LabelAssigned> labels = new LinkedHashMap<>();
  private final Set<String> labelling = new HashSet<>();
  private final Set<String> complete = new LinkedHashSet<>();
  private final Set<String> deadLettered = new HashSet<>();
  private final Map<String, Consensus> consensus = new HashMap<>();
  private final Map<String, Counts> counts = new TreeMap<>();
  private final Map<String, Terms> terms = new HashMap<>();

  /** What a round's selection says about its tasks beyond them: its vendors and policy. */
  private record Terms(List<String> vendors, UnansweredPolicy policy) {}

  /**
   * The tasks to issue for a selection, or why it is refused.
   *
   * @param tasks tasks without image URL (the caller signs one), in selection order
   * @param refusal why nothing can be issued, or null
   * @param message what was wrong, for people
   */
  public record Plan(List<LabelTask> tasks, Refusal refusal, String message) {}

  /** One annotation slot of an image: its tasks by attempt and its accepted answer. */
  private static final class Slot {
    final List<String> taskIds = new ArrayList<>();
    String answeredBy;
    Vote answer;
    boolean givenUp;

    boolean settled() {
      return answer != null || givenUp;
    }
  }

  /** One image of a campaign in one round, waiting for its annotations. */
  private static final class ImageJob {
    final String campaignId;
    final int round;
    final String dataset;
    final String imageId;
    final int wanted;
    final List<String> classes;
    final Map<Integer, Slot> slots = new TreeMap<>();

    ImageJob(LabelTask t) {
      this.campaignId = t.getCampaignId();
      this.round = t.getRound();
      this.dataset = t.getDataset();
      this.imageId = t.getImageId();
      this.wanted = Math.max(1, t.getAnnotationsWanted());
      this.classes = List.copyOf(t.getTaxonomy().getClassesList());
    }

    /** Every slot settled: answered, or given up. */
    boolean complete() {
      return slots.size() >= wanted && slots.values().stream().allMatch(Slot::settled);
    }

    boolean answered() {
      return slots.values().stream().anyMatch(s -> s.answer != null);
    }
  }

  /** Mutable per-vendor counters. */
  private static final class Counts {
    long issued;
    long answered;
    long late;
    long expired;
    final Map<String, Long> refused = new TreeMap<>();
  }

  /**
   * @param consensusSettings when Dawid-Skene takes over from the majority vote and is refitted
   * @param onFit called after every Dawid-Skene fit of any campaign (for a metric)
   */
  public Ledger(Consensus.Settings consensusSettings, Runnable onFit) {
    this.consensusSettings = consensusSettings;
    this.onFit = onFit;
  }

  /** The key of an image in a campaign, also the key of its label on {@code alfer.labels}. */
  public static String imageKey(String campaignId, String imageId) {
    return campaignId + "/" + imageId;
  }

  private static String roundKey(String campaignId, int round) {
    return campaignId + "|" + round;
  }

  /** The deterministic id of a task: re-planning the same slot and attempt yields the same id. */
  public static String taskId(String campaignId, int round, String imageId, int slot, int attempt) {
    String source = campaignId + "|" + round + "|" + imageId + "|" + slot + "|" + attempt;
    return Hashes.sha256Hex(source.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }

  // --- what was read from the topics ---------------------------------------------------------

  /** Records a dataset's taxonomy (alfer.datasets). */
  public synchronized void defineDataset(String dataset, List<String> classes) {
    taxonomies.put(dataset, List.copyOf(classes));
  }

  /**
   * Records an issued task (a vendor's task topic, or this process issuing it). A re-issue marks
   * the task it replaces as expired. Idempotent.
   */
  public synchronized void recordTask(LabelTask task) {
    if (tasks.putIfAbsent(task.getTaskId(), task) != null) {
      return;
    }
    counts(task.getVendor()).issued++;
    String key = imageKey(task.getCampaignId(), task.getImageId());
    ImageJob job = jobs.get(key);
    if (job == null || job.round < task.getRound()) {
      // the first task of the image, or of a later round after an unanswered one
      job = new ImageJob(task);
      jobs.put(key, job);
    } else if (job.round > task.getRound()) {
      return; // a task of an earlier, settled round of this image: known, nothing to track
    }
    Slot slot = job.slots.computeIfAbsent(task.getSlot(), s -> new Slot());
    slot.taskIds.add(task.getTaskId());
    slot.taskIds.sort(
        (a, b) -> Integer.compare(tasks.get(a).getAttempt(), tasks.get(b).getAttempt()));
    if (!task.getReissueOf().isEmpty()) {
      LabelTask replaced = tasks.get(task.getReissueOf());
      counts(replaced == null ? task.getVendor() : replaced.getVendor()).expired++;
    }
  }

  /** Records an announced label (alfer.labels). Idempotent. */
  public synchronized void recordLabel(LabelAssigned label) {
    String key = imageKey(label.getCampaignId(), label.getImageId());
    labels.put(key, label);
    complete.remove(key);
    doneLabelling(key);
  }

  /** Records that a record is on a dead-letter topic already (read back, or just written). */
  public synchronized void recordDeadLettered(String topic, int partition, long offset) {
    deadLettered.add(topic + "/" + partition + "/" + offset);
  }

  /** Whether a record was dead-lettered already, so that a replay does not write it twice. */
  public synchronized boolean isDeadLettered(String topic, int partition, long offset) {
    return deadLettered.contains(topic + "/" + partition + "/" + offset);
  }

  // --- selections ----------------------------------------------------------------------------

  /**
   * Plans the tasks of a selection: one per (image, annotation slot), the slots spread over the
   * selection's vendors in turn, each due its vendor's task lifetime from {@code now}. Images that
   * already have tasks or a label in the campaign get none, so a selection read twice issues
   * nothing twice.
   */
  public synchronized Plan plan(
      SelectionMade selection,
      Instant now,
      Function<String, Duration> ttlOfVendor,
      List<String> defaultVendors,
      Set<String> knownVendors) {
    List<String> classes = taxonomies.get(selection.getDataset());
    if (classes == null) {
      return new Plan(
          List.of(),
          Refusal.UNKNOWN_DATASET,
          "dataset '" + selection.getDataset() + "' is not defined on alfer.datasets");
    }
    if (selection.getCampaignId().isEmpty()) {
      return new Plan(List.of(), Refusal.MALFORMED, "campaign_id is missing");
    }
    if (selection.getAnnotationsPerImage() < 0) {
      return new Plan(List.of(), Refusal.MALFORMED, "annotations_per_image is negative");
    }
    List<String> vendors =
        selection.getVendorsCount() > 0 ? selection.getVendorsList() : defaultVendors;
    for (String v : vendors) {
      if (!knownVendors.contains(v)) {
        return new Plan(List.of(), Refusal.UNKNOWN_VENDOR, "vendor '" + v + "' is not registered");
      }
    }
    if (vendors.isEmpty()) {
      return new Plan(List.of(), Refusal.UNKNOWN_VENDOR, "the selection names no vendor");
    }
    // the selection's terms, which its tasks do not carry (read again at every replay)
    terms.put(
        roundKey(selection.getCampaignId(), selection.getRound()),
        new Terms(List.copyOf(vendors), selection.getOnUnanswered()));
    int wanted = Math.max(1, selection.getAnnotationsPerImage());
    Taxonomy taxonomy = Taxonomy.newBuilder().addAllClasses(classes).build();
    List<LabelTask> planned = new ArrayList<>();
    List<SelectedImage> images = selection.getImagesList();
    for (int i = 0; i < images.size(); i++) {
      String imageId = images.get(i).getImageId();
      String key = imageKey(selection.getCampaignId(), imageId);
      if (imageId.isEmpty() || !open(key, selection.getRound())) {
        continue;
      }
      for (int slot = 0; slot < wanted; slot++) {
        String vendor = vendors.get((i + slot) % vendors.size());
        planned.add(
            LabelTask.newBuilder()
                .setTaskId(
                    taskId(selection.getCampaignId(), selection.getRound(), imageId, slot, 0))
                .setVendor(vendor)
                .setCampaignId(selection.getCampaignId())
                .setRound(selection.getRound())
                .setDataset(selection.getDataset())
                .setImageId(imageId)
                .setTaxonomy(taxonomy)
                .setDeadline(Origins.timestamp(now.plus(ttlOfVendor.apply(vendor))))
                .setAnnotationsWanted(wanted)
                .setSlot(slot)
                .setAttempt(0)
                .build());
      }
    }
    return new Plan(planned, null, null);
  }

  // --- results -------------------------------------------------------------------------------

  /**
   * Checks a result: a known task, of the answering vendor, a label in the taxonomy, its slot not
   * answered yet, received before the deadline. Changes nothing.
   */
  public synchronized Verdict check(LabelResult result, Instant receivedAt) {
    if (result.getTaskId().isEmpty()) {
      return Verdict.refused(Refusal.MALFORMED, "task_id is missing");
    }
    LabelTask task = tasks.get(result.getTaskId());
    if (task == null) {
      return Verdict.refused(Refusal.UNKNOWN_TASK, "no task " + result.getTaskId());
    }
    if (!task.getVendor().equals(result.getVendor())) {
      return Verdict.refused(
          Refusal.WRONG_VENDOR,
          "task " + task.getTaskId() + " is not assigned to vendor '" + result.getVendor() + "'");
    }
    if (!(result.getConfidence() >= 0 && result.getConfidence() <= 1)) { // NaN too
      return Verdict.refused(Refusal.MALFORMED, "confidence must be in [0, 1]");
    }
    int label = indexOf(task.getTaxonomy().getClassesList(), result.getLabel());
    if (label < 0) {
      return Verdict.refused(
          Refusal.LABEL_NOT_IN_TAXONOMY,
          "label '" + result.getLabel() + "' is not one of " + task.getTaxonomy().getClassesList());
    }
    Slot slot = slotOf(task);
    if (slot == null) {
      return Verdict.refused(
          Refusal.LATE,
          "task "
              + task.getTaskId()
              + " is of round "
              + task.getRound()
              + ", which went on without an answer for image "
              + task.getImageId());
    }
    if (slot.answer != null) {
      return Verdict.refused(
          Refusal.DUPLICATE,
          "slot " + task.getSlot() + " of image " + task.getImageId() + " is answered already");
    }
    Instant deadline = Origins.instant(task.getDeadline());
    if (receivedAt.isAfter(deadline) || slot.givenUp) {
      return Verdict.refused(
          Refusal.LATE, "received " + receivedAt + ", after the deadline " + deadline);
    }
    return Verdict.accepted(label);
  }

  /** Records an accepted result (one that {@link #check} accepted just now). */
  public synchronized void accept(LabelResult result, Verdict verdict) {
    LabelTask task = tasks.get(result.getTaskId());
    Slot slot = slotOf(task);
    if (slot == null || slot.answer != null) {
      return;
    }
    String annotator =
        task.getVendor() + "/" + (result.getAnnotator().isEmpty() ? "-" : result.getAnnotator());
    slot.answer = new Vote(annotator, verdict.labelIndex(), result.getConfidence());
    slot.answeredBy = task.getTaskId();
    counts(task.getVendor()).answered++;
    String key = imageKey(task.getCampaignId(), task.getImageId());
    ImageJob job = jobs.get(key);
    consensusOf(job).add(key, slot.answer);
    settle(key, job);
  }

  /** Counts a refused result against the vendor it claims to come from. */
  public synchronized void refuse(String vendor, Refusal refusal) {
    Counts c = counts(vendor.isEmpty() ? "(none)" : vendor);
    c.refused.merge(refusal.code(), 1L, Long::sum);
    if (refusal == Refusal.LATE) {
      c.late++;
    }
  }

  // --- expiry --------------------------------------------------------------------------------

  /**
   * The re-issues of tasks whose deadline passed while their slot is unanswered and which are their
   * slot's latest issue (without image URL; the caller signs one), each due its vendor's task
   * lifetime from {@code now}. A vendor gets a slot {@code maxAttempts} times; then, when the
   * selection's policy is {@code REASSIGN}, the slot goes to the selection's next vendor that has
   * not had it, and otherwise (or once every vendor has had it) the slot is given up. An image
   * whose slots are all settled becomes ready for its outcome ({@link #takeLabels}).
   */
  public synchronized List<LabelTask> expired(
      Instant now, int maxAttempts, Function<String, Duration> ttlOfVendor) {
    List<LabelTask> due = new ArrayList<>();
    for (Map.Entry<String, ImageJob> e : jobs.entrySet()) {
      ImageJob job = e.getValue();
      if (decided(e.getKey())) {
        continue;
      }
      for (Slot slot : job.slots.values()) {
        if (slot.settled()) {
          continue;
        }
        LabelTask latest = tasks.get(slot.taskIds.get(slot.taskIds.size() - 1));
        if (!now.isAfter(Origins.instant(latest.getDeadline()))) {
          continue;
        }
        long byThisVendor =
            slot.taskIds.stream()
                .filter(id -> tasks.get(id).getVendor().equals(latest.getVendor()))
                .count();
        if (byThisVendor < maxAttempts) {
          due.add(reissue(latest, latest.getVendor(), now, ttlOfVendor.apply(latest.getVendor())));
          continue;
        }
        Optional<String> next = nextVendor(job, slot);
        if (next.isPresent()) {
          counts(latest.getVendor()).expired++;
          due.add(reissue(latest, next.get(), now, ttlOfVendor.apply(next.get())));
        } else {
          slot.givenUp = true;
          counts(latest.getVendor()).expired++;
          settle(e.getKey(), job);
        }
      }
    }
    return due;
  }

  /** With {@code REASSIGN}: the selection's next vendor, after the slot's first, not tried yet. */
  private Optional<String> nextVendor(ImageJob job, Slot slot) {
    Terms t = terms.get(roundKey(job.campaignId, job.round));
    if (t == null || t.policy() != UnansweredPolicy.UNANSWERED_POLICY_REASSIGN) {
      return Optional.empty();
    }
    List<String> vendors = t.vendors();
    Set<String> tried = new HashSet<>();
    slot.taskIds.forEach(id -> tried.add(tasks.get(id).getVendor()));
    String first = tasks.get(slot.taskIds.get(0)).getVendor();
    int start = Math.max(0, vendors.indexOf(first));
    for (int k = 1; k <= vendors.size(); k++) {
      String v = vendors.get((start + k) % vendors.size());
      if (!tried.contains(v)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * The re-issue of an expired task (without image URL): same slot, next attempt, to {@code
   * vendor}.
   */
  static LabelTask reissue(LabelTask expired, String vendor, Instant now, Duration ttl) {
    int attempt = expired.getAttempt() + 1;
    return expired.toBuilder()
        .setVendor(vendor)
        .setTaskId(
            taskId(
                expired.getCampaignId(),
                expired.getRound(),
                expired.getImageId(),
                expired.getSlot(),
                attempt))
        .setAttempt(attempt)
        .setReissueOf(expired.getTaskId())
        .setDeadline(Origins.timestamp(now.plus(ttl)))
        .clearImageUrl()
        .clearUrlExpiresAt()
        .build();
  }

  // --- labels --------------------------------------------------------------------------------

  /**
   * Reconciles every image whose slots are all settled and that has no label yet, and marks them as
   * being labelled: the caller announces each and then calls {@link #recordLabel} (or {@link
   * #labelFailed} when the announcement failed, so that a later call retries it).
   */
  public synchronized List<LabelAssigned> takeLabels(Origin origin) {
    List<LabelAssigned> out = new ArrayList<>();
    for (String key : List.copyOf(complete)) {
      complete.remove(key);
      if (decided(key) || !labelling.add(key)) {
        continue;
      }
      ImageJob job = jobs.get(key);
      LabelAssigned.Builder outcome =
          LabelAssigned.newBuilder()
              .setCampaignId(job.campaignId)
              .setRound(job.round)
              .setDataset(job.dataset)
              .setImageId(job.imageId)
              .setOrigin(origin);
      if (!job.answered()) {
        out.add(outcome.setLabel(-1).setOutcome(LabelOutcome.LABEL_OUTCOME_UNANSWERED).build());
        continue;
      }
      Decision d = consensusOf(job).decide(key);
      int annotations = (int) job.slots.values().stream().filter(s -> s.answer != null).count();
      out.add(
          outcome
              .setLabel(d.label())
              .setLabelName(job.classes.get(d.label()))
              .setAgreement(d.agreement())
              .setAnnotations(annotations)
              .setMethod(d.method())
              .build());
    }
    return out;
  }

  /** Puts a label whose announcement failed back, to be taken again. */
  public synchronized void labelFailed(String key) {
    if (!decided(key)) {
      complete.add(key);
    }
    doneLabelling(key);
  }

  /**
   * Waits (bounded) until every label handed out by {@link #takeLabels} has been recorded or put
   * back, i.e. until no announcement is under way; returns whether none is.
   */
  public synchronized boolean awaitAnnounced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!labelling.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private void doneLabelling(String key) {
    if (labelling.remove(key) && labelling.isEmpty()) {
      notifyAll(); // awaitAnnounced
    }
  }

  // --- views ---------------------------------------------------------------------------------

  /** A task by id. */
  public synchronized Optional<LabelTask> task(String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  /** Whether a task still waits for its answer: latest issue of an unsettled slot. */
  public synchronized boolean isOpen(String taskId) {
    LabelTask task = tasks.get(taskId);
    if (task == null || decided(imageKey(task.getCampaignId(), task.getImageId()))) {
      return false;
    }
    Slot slot = slotOf(task);
    return slot != null
        && !slot.settled()
        && slot.taskIds.get(slot.taskIds.size() - 1).equals(taskId);
  }

  /** The open tasks of a vendor, in issue order of their images. */
  public synchronized List<LabelTask> openTasks(String vendor) {
    List<LabelTask> out = new ArrayList<>();
    for (ImageJob job : jobs.values()) {
      for (Slot slot : job.slots.values()) {
        LabelTask latest = tasks.get(slot.taskIds.get(slot.taskIds.size() - 1));
        if (latest.getVendor().equals(vendor) && isOpen(latest.getTaskId())) {
          out.add(latest);
        }
      }
    }
    return out;
  }

  /** The labels of a campaign, in the order they were announced (unanswered images left out). */
  public synchronized List<LabelAssigned> labels(String campaignId) {
    return labels.values().stream()
        .filter(l -> l.getCampaignId().equals(campaignId))
        .filter(l -> l.getOutcome() == LabelOutcome.LABEL_OUTCOME_LABELLED)
        .toList();
  }

  /** Per-vendor counts, for every vendor named so far and every vendor in {@code vendors}. */
  public synchronized List<VendorStats> vendorStats(Collection<String> vendors) {
    Map<String, long[]> agreement = new HashMap<>();
    Map<String, Long> open = new HashMap<>();
    for (Map.Entry<String, ImageJob> e : jobs.entrySet()) {
      LabelAssigned label = decided(e.getKey()) ? labels.get(e.getKey()) : null;
      for (Slot slot : e.getValue().slots.values()) {
        LabelTask latest = tasks.get(slot.taskIds.get(slot.taskIds.size() - 1));
        if (label == null && !slot.settled()) {
          open.merge(latest.getVendor(), 1L, Long::sum);
        }
        if (label != null && slot.answer != null) {
          long[] a =
              agreement.computeIfAbsent(tasks.get(slot.answeredBy).getVendor(), v -> new long[2]);
          a[0] += slot.answer.label() == label.getLabel() ? 1 : 0;
          a[1]++;
        }
      }
    }
    vendors.forEach(this::counts);
    List<VendorStats> out = new ArrayList<>();
    counts.forEach(
        (vendor, c) -> {
          long[] a = agreement.get(vendor);
          out.add(
              new VendorStats(
                  vendor,
                  c.issued,
                  c.answered,
                  Map.copyOf(c.refused),
                  c.late,
                  c.expired,
                  open.getOrDefault(vendor, 0L),
                  a == null ? null : (double) a[0] / a[1]));
        });
    return out;
  }

  // --- internals -----------------------------------------------------------------------------

  private void settle(String key, ImageJob job) {
    if (job.complete() && !decided(key) && !labelling.contains(key)) {
      complete.add(key);
    }
  }

  /**
   * Whether the image's current round has its outcome announced: a label, or UNANSWERED of that
   * round (an UNANSWERED outcome of an earlier round does not decide a later round's job).
   */
  private boolean decided(String key) {
    LabelAssigned label = labels.get(key);
    if (label == null) {
      return false;
    }
    ImageJob job = jobs.get(key);
    return job == null
        || label.getOutcome() == LabelOutcome.LABEL_OUTCOME_LABELLED
        || label.getRound() >= job.round;
  }

  /**
   * Whether an image may get tasks in {@code round}: it has none in the campaign yet, or its last
   * round ended UNANSWERED before this one (it went back to the pool and was selected again).
   */
  private boolean open(String key, int round) {
    LabelAssigned label = labels.get(key);
    if (label != null && label.getOutcome() == LabelOutcome.LABEL_OUTCOME_LABELLED) {
      return false;
    }
    ImageJob job = jobs.get(key);
    if (job == null) {
      return label == null || label.getRound() < round;
    }
    return job.round < round && decided(key);
  }

  /** The slot a task fills, or null for a task of an earlier round of the image. */
  private Slot slotOf(LabelTask task) {
    ImageJob job = jobs.get(imageKey(task.getCampaignId(), task.getImageId()));
    return job == null || job.round != task.getRound() ? null : job.slots.get(task.getSlot());
  }

  private Consensus consensusOf(ImageJob job) {
    return consensus.computeIfAbsent(
        job.campaignId + "|" + job.dataset,
        k -> new Consensus(job.classes.size(), consensusSettings, onFit));
  }

  private Counts counts(String vendor) {
    return counts.computeIfAbsent(vendor, v -> new Counts());
  }

  private static int indexOf(List<String> classes, String label) {
    Function<String, String> norm = s -> s.trim().toLowerCase(Locale.ROOT);
    String wanted = norm.apply(label);
    for (int i = 0; i < classes.size(); i++) {
      if (norm.apply(classes.get(i)).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }
}
