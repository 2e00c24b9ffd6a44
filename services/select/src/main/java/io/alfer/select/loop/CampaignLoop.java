package io.alfer.select.loop;

import io.alfer.al.campaign.CampaignRules;
import io.alfer.core.claim.ClaimCheck;
import io.alfer.core.claim.Claims;
import io.alfer.core.concurrent.DaemonThreads;
import io.alfer.core.messaging.Origins;
import io.alfer.proto.v1.CampaignCompleted;
import io.alfer.proto.v1.CampaignFailed;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.RoundEvaluated;
import io.alfer.proto.v1.RoundLabelled;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.proto.v1.TrainingRequested;
import io.alfer.select.campaign.Campaign;
import io.alfer.select.campaign.CampaignLog;
import io.alfer.select.config.SelectConfig;
import io.alfer.select.inputs.Inputs;
import io.alfer.select.messaging.Publisher;
import io.alfer.select.state.Life;
import io.alfer.select.state.SelectState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Drives every running campaign through its rounds. Round r: (1) select — the initial strategy for
 * r = 0, the campaign's strategy on round r-1's classifier outputs otherwise; (2) announce the
 * batch on alfer.selections and wait until every image has its label on alfer.labels; (3) ask the
 * trainer for {@code <campaign>-r<r>} on alfer.training.requests and wait for the round's
 * classifier on alfer.models (a failed or refused job fails the campaign); (4) unless the rounds or
 * the budget are spent, wait for that classifier's pool embeddings and go to (1) for r + 1.
 *
 * <p>Each step is decided on the current state and recorded on alfer.campaigns before (or, for
 * publications, before re-sending) it acts, so a restart continues where the last run stood;
 * publications a new run cannot be sure of are sent again, and downstream deduplicates them. The
 * loop runs on a timer and whenever an input arrives; one campaign is stepped by one worker at a
 * time; paused and ended campaigns take no step.
 */
@ApplicationScoped
public class CampaignLoop {
  private static final Logger LOG = Logger.getLogger(CampaignLoop.class);

  private final SelectState state;
  private final CampaignLog log;
  private final Publisher publisher;
  private final Selections selections;
  private final Claims claims;
  private final SelectConfig config;
  private final Set<String> stepping = ConcurrentHashMap.newKeySet();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean passPending = new AtomicBoolean();
  private ScheduledExecutorService scheduler;
  private ExecutorService workers;

  public CampaignLoop(
      SelectState state,
      CampaignLog log,
      Publisher publisher,
      Selections selections,
      Claims claims,
      SelectConfig config) {
    this.state = state;
    this.log = log;
    this.publisher = publisher;
    this.selections = selections;
    this.claims = claims;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("select-loop"));
    workers =
        Executors.newFixedThreadPool(
            Math.max(1, config.workers()), DaemonThreads.numbered("select-step"));
    long tick = Math.max(10, config.tick().toMillis());
    scheduler.scheduleWithFixedDelay(this::pass, tick, tick, TimeUnit.MILLISECONDS);
    state.onChange(this::nudge);
  }

  void onStop(@Observes ShutdownEvent event) {
    scheduler.shutdownNow();
    workers.shutdownNow();
  }

  /** Looks at every campaign soon (coalesced). */
  public void nudge() {
    if (scheduler != null && passPending.compareAndSet(false, true)) {
      try {
        scheduler.execute(this::pass);
      } catch (RuntimeException e) {
        passPending.set(false); // shutting down
      }
    }
  }

  private void pass() {
    passPending.set(false);
    Life life = state.readyLife();
    if (life == null) {
      return;
    }
    for (Campaign c : life.book().all()) {
      if (!c.running()) {
        continue;
      }
      if (!stepping.add(c.id())) {
        dirty.add(c.id());
        continue;
      }
      try {
        workers.execute(() -> run(life, c));
      } catch (RuntimeException e) {
        stepping.remove(c.id());
      }
    }
  }

  private void run(Life life, Campaign c) {
    try {
      do {
        dirty.remove(c.id());
        while (life == state.readyLife() && c.running() && advance(life, c)) {
          // one step at a time until the campaign waits for something
        }
      } while (dirty.contains(c.id()) && life == state.readyLife());
    } catch (RuntimeException e) {
      LOG.warnf(e, "campaign %s: step failed; retrying", c.id());
      c.status("retrying after an error: " + e.getMessage());
    } finally {
      stepping.remove(c.id());
    }
  }

  /** Takes the next step of a campaign if it can; returns whether the state moved on. */
  boolean advance(Life life, Campaign c) {
    int toSelect;
    synchronized (c) {
      if (!c.running()) {
        return false;
      }
      Campaign.Round r = c.current();
      if (r == null) {
        toSelect = 0;
      } else if (r.labelled() == null) {
        return labelling(life, c, r);
      } else if (r.training() == null) {
        return requestTraining(life, c, r);
      } else if (r.evaluated() == null) {
        return training(life, c, r);
      } else {
        Optional<String> end = finished(life.inputs(), c, r);
        if (end.isPresent()) {
          complete(life, c, r, end.get());
          return true;
        }
        toSelect = r.number() + 1;
      }
    }
    return select(life, c, toSelect);
  }

  private boolean labelling(Life life, Campaign c, Campaign.Round r) {
    Inputs in = life.inputs();
    Optional<String> refused = in.selectionRefusal(c.id(), r.number());
    if (refused.isPresent()) {
      fail(
          life,
          c,
          r.number(),
          "selection_refused",
          "the label service refused it: " + refused.get());
      return true;
    }
    List<String> ids = r.imageIds();
    List<LabelledImage> labels = new ArrayList<>(ids.size());
    List<String> unanswered = new ArrayList<>();
    for (String id : ids) {
      Optional<LabelAssigned> label = in.label(c.id(), id);
      if (label.isEmpty()) {
        continue;
      }
      LabelAssigned l = label.get();
      if (l.getOutcome() == LabelOutcome.LABEL_OUTCOME_UNANSWERED) {
        if (l.getRound() == r.number()) { // an earlier round's outcome is not this round's
          unanswered.add(id);
        }
      } else {
        labels.add(LabelledImage.newBuilder().setImageId(id).setLabel(l.getLabel()).build());
      }
    }
    if (labels.size() + unanswered.size() < ids.size()) {
      sendSelection(life, c, r.selected());
      c.status(
          "round %d: waiting for labels, %d of %d in%s"
              .formatted(
                  r.number(),
                  labels.size(),
                  ids.size(),
                  unanswered.isEmpty() ? "" : ", " + unanswered.size() + " unanswered"));
      return false;
    }
    int total = c.labelledBefore(r.number()) + labels.size();
    log.append(
        life.book(),
        c,
        b ->
            b.setRoundLabelled(
                RoundLabelled.newBuilder()
                    .setRound(r.number())
                    .setLabelledTotal(total)
                    .addAllLabels(labels)
                    .addAllUnanswered(unanswered)));
    if (unanswered.isEmpty()) {
      LOG.infof(
          "campaign %s round %d: all %d labels in (%d in total)",
          c.id(), r.number(), ids.size(), total);
    } else {
      LOG.infof(
          "campaign %s round %d: %d labels in, %d images unanswered (back in the pool); %d in total",
          c.id(), r.number(), labels.size(), unanswered.size(), total);
    }
    return true;
  }

  private boolean requestTraining(Life life, Campaign c, Campaign.Round r) {
    String jobId = CampaignRules.jobId(c.id(), r.number());
    int total = r.labelled().getLabelledTotal();
    log.append(
        life.book(),
        c,
        b ->
            b.setTrainingRequested(
                TrainingRequested.newBuilder()
                    .setRound(r.number())
                    .setJobId(jobId)
                    .setLabelledTotal(total)));
    sendTraining(life, c, r.number());
    LOG.infof(
        "campaign %s round %d: fine-tuning %s on %d labels requested",
        c.id(), r.number(), jobId, total);
    return true;
  }

  private boolean training(Life life, Campaign c, Campaign.Round r) {
    Inputs in = life.inputs();
    String jobId = r.training().getJobId();
    Optional<ModelPublished> model = in.classifier(c.id(), r.number(), jobId);
    if (model.isEmpty()) {
      Optional<TrainingProgress> end = in.jobEnd(jobId);
      if (end.isPresent() && end.get().getState() != JobState.JOB_STATE_SUCCEEDED) {
        String reason =
            switch (end.get().getState()) {
              case JOB_STATE_REJECTED -> "training_rejected";
              case JOB_STATE_CANCELLED -> "training_cancelled";
              default -> "training_failed";
            };
        fail(life, c, r.number(), reason, "job " + jobId + ": " + end.get().getMessage());
        return true;
      }
      sendTraining(life, c, r.number());
      c.status("round %d: waiting for the classifier of job %s".formatted(r.number(), jobId));
      return false;
    }
    ModelPublished m = model.get();
    log.append(
        life.book(),
        c,
        b ->
            b.setRoundEvaluated(
                RoundEvaluated.newBuilder()
                    .setRound(r.number())
                    .setModelId(m.getModelId())
                    .setLabelledTotal(r.training().getLabelledTotal())
                    .setTestAccuracy(m.getTestAccuracy())
                    .addAllPerClassAccuracy(m.getPerClassAccuracyList())));
    LOG.infof(
        "campaign %s round %d: classifier %s, %d labels, test accuracy %.4f",
        c.id(), r.number(), m.getModelId(), r.training().getLabelledTotal(), m.getTestAccuracy());
    c.status("round %d: waiting for the pool scores of %s".formatted(r.number(), m.getModelId()));
    return true;
  }

  /** Why the campaign ends after round r, if it does: rounds, budget or pool_exhausted. */
  private static Optional<String> finished(Inputs in, Campaign c, Campaign.Round r) {
    CampaignSpec spec = c.spec();
    int labelled = r.evaluated().getLabelledTotal();
    if (r.number() >= spec.getRounds()) {
      return Optional.of("rounds");
    }
    if (spec.getTotalBudget() > 0 && labelled >= spec.getTotalBudget()) {
      return Optional.of("budget");
    }
    if (labelled >= in.poolSize(spec.getDataset())) {
      return Optional.of("pool_exhausted");
    }
    return Optional.empty();
  }

  private void complete(Life life, Campaign c, Campaign.Round r, String reason) {
    log.append(
        life.book(),
        c,
        b ->
            b.setCompleted(
                CampaignCompleted.newBuilder()
                    .setRoundsRun(r.number() + 1)
                    .setLabelledTotal(r.evaluated().getLabelledTotal())
                    .setFinalTestAccuracy(r.evaluated().getTestAccuracy())
                    .setReason(reason)));
    LOG.infof(
        "campaign %s completed (%s) after round %d: %d labels, test accuracy %.4f",
        c.id(),
        reason,
        r.number(),
        r.evaluated().getLabelledTotal(),
        r.evaluated().getTestAccuracy());
    state.recount();
  }

  private void fail(Life life, Campaign c, int round, String reason, String message) {
    log.append(
        life.book(),
        c,
        b ->
            b.setFailed(
                CampaignFailed.newBuilder().setRound(round).setReason(reason).setMessage(message)));
    LOG.errorf("campaign %s failed in round %d: %s: %s", c.id(), round, reason, message);
  }

  private boolean select(Life life, Campaign c, int round) {
    c.status("round %d: selecting".formatted(round));
    Outcome<RoundSelected> outcome = selections.select(c, round, life.inputs());
    synchronized (c) {
      Campaign.Round current = c.current();
      int next = current == null ? 0 : current.number() + 1;
      if (!c.running() || next != round || (current != null && current.evaluated() == null)) {
        return false; // paused, cancelled or moved on meanwhile: nothing written
      }
      if (outcome instanceof Outcome.Wait<RoundSelected> w) {
        c.status("round %d: %s".formatted(round, w.message()));
        return false;
      }
      if (outcome instanceof Outcome.Fail<RoundSelected> f) {
        fail(life, c, round, f.reason(), f.message());
        return true;
      }
      RoundSelected s = ((Outcome.Done<RoundSelected>) outcome).value();
      if (s.getSelected() == 0) {
        if (current == null) {
          fail(life, c, round, "empty_pool", "the pool has no image to select");
        } else {
          complete(life, c, current, "pool_exhausted");
        }
        return true;
      }
      log.append(life.book(), c, b -> b.setRoundSelected(s));
      sendSelection(life, c, s);
      return true;
    }
  }

  private void sendSelection(Life life, Campaign c, RoundSelected s) {
    String what = "selection:" + c.id() + "/" + s.getRound();
    if (life.sent(what)) {
      return;
    }
    CampaignSpec spec = c.spec();
    SelectionMade selection =
        SelectionMade.newBuilder()
            .setCampaignId(c.id())
            .setRound(s.getRound())
            .setDataset(spec.getDataset())
            .addAllImages(s.getImagesList())
            .setProvenance(s.getProvenance())
            .addAllVendors(spec.getVendorsList())
            .setAnnotationsPerImage(spec.getAnnotationsPerImage())
            .setOnUnanswered(spec.getOnUnanswered())
            .setOrigin(Origins.now("select", config.instance()))
            .build();
    publisher.selection(claims.pack(ClaimCheck.SELECTION_MADE, selection));
    life.markSent(what);
    c.status("round %d: %d images out for labelling".formatted(s.getRound(), s.getSelected()));
  }

  private void sendTraining(Life life, Campaign c, int round) {
    String jobId = CampaignRules.jobId(c.id(), round);
    String what = "training:" + jobId;
    if (life.sent(what)) {
      return;
    }
    publisher.trainingRequest(claims.pack(trainingRequest(c, round, config.instance())));
    life.markSent(what);
    c.status("round %d: fine-tuning %s".formatted(round, jobId));
  }

  /**
   * The fine-tuning request of a round: all labels so far (round 0's in selection order, then round
   * 1's, ...), the campaign's base model, presets and seed; for {@code deepfool}, DeepFool sizes
   * for the strategy's {@code candidates} unlabelled images (0 = all). Built from the recorded
   * events only, so a re-sent request is identical (the trainer treats it as the same job); a
   * labelled set too large for the record is sent as a claim (content-addressed, so identical too).
   */
  public static TrainingRequest trainingRequest(Campaign c, int round, String instance) {
    CampaignSpec spec = c.spec();
    List<LabelledImage> labels = c.labelsBefore(round + 1);
    return TrainingRequest.newBuilder()
        .setJobId(CampaignRules.jobId(c.id(), round))
        .setFinetune(
            FinetuneJob.newBuilder()
                .setCampaignId(c.id())
                .setRound(round)
                .setDataset(spec.getDataset())
                .addAllLabelled(labels)
                .setBaseModelId(spec.getBaseModelId())
                .setPreset(spec.getFinetunePreset())
                .setEncoderPreset(spec.getEncoderPreset())
                .setSeed(spec.getSeed())
                .setMaxEpochs(spec.getFinetuneMaxEpochs())
                .setDeepfool(spec.getStrategy().equals("deepfool"))
                .setDeepfoolCandidates(
                    CampaignRules.deepFoolCandidates(
                        spec.getStrategy(), spec.getStrategyParametersMap())))
        .setOrigin(Origins.now("select", instance))
        .build();
  }
}
