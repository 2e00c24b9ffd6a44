package io.alfer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.demo.CampaignWatcher;
import io.alfer.cli.demo.PretrainWatcher;
import io.alfer.cli.service.SelectClient;
import io.alfer.cli.service.ServiceDirectory;
import io.alfer.cli.service.TrainerClient;
import io.alfer.cli.stack.Polling;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.core.api.CampaignRequest;
import io.alfer.core.api.TrainingJobRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alfer campaign start|watch|list}: active-learning campaigns on the select service of
 * {@code ./alfer serve} (or {@code ALFER_SELECT_URL}), pre-training first when asked.
 */
@Command(
    name = "campaign",
    mixinStandardHelpOptions = true,
    description = {
      "Starts and follows active-learning campaigns through the select service that './alfer"
          + " serve' started (or ALFER_SELECT_URL; the trainer's: ALFER_TRAINER_URL)."
    },
    subcommands = {
      CampaignCommand.Start.class,
      CampaignCommand.Watch.class,
      CampaignCommand.ListCampaigns.class
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:done (start: created; watch: the campaign completed)",
      "1:refused by the service (the reason is printed), or the campaign failed or was cancelled",
      "2:invalid options",
      "3:the services are not running (./alfer serve)"
    })
final class CampaignCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code alfer campaign start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a campaign on a dataset; with --pretrain, first pre-trains an encoder on the"
            + " dataset's unlabelled pool with SimCLR (showing each epoch) and starts the campaign"
            + " from it. Options left out take the select service's defaults, and the service"
            + " checks them: a refusal is printed with its reason.",
        "%nWith --watch, follows the campaign to its end as 'campaign watch' does."
      })
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StackHomeOption home;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset.")
    String dataset;

    @Option(
        names = "--id",
        paramLabel = "ID",
        description = "Campaign id (default: <dataset>-<strategy>-<time>).")
    String id;

    @Option(
        names = "--strategy",
        description =
            "Strategy of the rounds after the initial set: random, entropy, margin,"
                + " least-confidence, badge, glister, coreset, bald, deepfool, typiclust,"
                + " probcover (default: the service's).")
    String strategy;

    @Option(
        names = "--initial-strategy",
        description = "Strategy of the initial set: random, typiclust, probcover or coreset.")
    String initialStrategy;

    @ArgGroup(exclusive = true)
    InitialSize initial;

    static final class InitialSize {
      @Option(names = "--initial", paramLabel = "N", description = "Images in the initial set.")
      Integer size;

      @Option(
          names = "--initial-fraction",
          paramLabel = "F",
          description = "Or the initial set's fraction of the pool (the paper: 0.1).")
      Double fraction;
    }

    @ArgGroup(exclusive = true)
    RoundBudget budget;

    static final class RoundBudget {
      @Option(names = "--budget", paramLabel = "N", description = "Images labelled per round.")
      Integer size;

      @Option(
          names = "--budget-fraction",
          paramLabel = "F",
          description = "Or their fraction of the pool (the paper: 0.05).")
      Double fraction;
    }

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds after the initial set.")
    Integer rounds;

    @Option(
        names = "--total-budget",
        paramLabel = "N",
        description = "Cap on the labels bought, initial set included.")
    Integer totalBudget;

    @Option(
        names = "--vendor",
        paramLabel = "NAME",
        description =
            "A vendor to send tasks to; repeat for several (default: the label service's; the"
                + " oracle answers from the data's own labels).")
    List<String> vendors;

    @Option(
        names = "--annotations",
        paramLabel = "N",
        description = "Annotations wanted per image (default 1).")
    Integer annotations;

    @Option(names = "--seed", description = "Seed of sampling, augmentation and initialisation.")
    Long seed;

    @Option(
        names = "--base-model",
        paramLabel = "ID",
        description = "A pre-trained encoder of the dataset to start from.")
    String baseModel;

    @Option(
        names = "--pretrain",
        description = "Pre-train an encoder with SimCLR first and start from it.")
    boolean pretrain;

    @Option(
        names = "--preset",
        description = "Encoder preset: tiny, small or resnet18 (default: the trainer's).")
    String preset;

    @Option(
        names = "--pretrain-epochs",
        paramLabel = "N",
        description = "SimCLR epochs (default: the trainer's).")
    Integer pretrainEpochs;

    @Option(
        names = "--pretrain-batch",
        paramLabel = "N",
        description = "SimCLR batch size (default: the trainer's).")
    Integer pretrainBatch;

    @Option(
        names = "--finetune-preset",
        description = "Fine-tuning preset: cpu-fast or paper (default: the trainer's).")
    String finetunePreset;

    @Option(
        names = "--finetune-epochs",
        paramLabel = "N",
        description = "Cap on each round's fine-tuning in epochs (default: the preset's).")
    Integer finetuneEpochs;

    @Option(names = "--watch", description = "Follow the campaign to its end.")
    boolean watch;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (pretrain && baseModel != null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--pretrain and --base-model exclude each other");
      }
      SelectClient select = new SelectClient(ServiceDirectory.locate("select", home.layout()));
      String base = baseModel;
      if (pretrain) {
        base = pretrain(out);
      }
      String campaignId =
          id != null
              ? id
              : dataset
                  + "-"
                  + (strategy == null ? "campaign" : strategy)
                  + "-"
                  + Long.toString(System.currentTimeMillis(), 36);
      JsonNode view =
          select.create(
              new CampaignRequest(
                  campaignId,
                  dataset,
                  strategy,
                  null,
                  initialStrategy,
                  initial == null ? null : initial.size,
                  initial == null ? null : initial.fraction,
                  budget == null ? null : budget.size,
                  budget == null ? null : budget.fraction,
                  rounds,
                  totalBudget,
                  base,
                  finetunePreset,
                  preset,
                  finetuneEpochs,
                  seed,
                  vendors,
                  annotations,
                  null));
      JsonNode spec = view.path("spec");
      out.printf(
          "campaign %s on %s: %s (initial %s), %d initial labels then %d round%s of %d, pool %d%s%n",
          view.path("campaignId").asText(),
          spec.path("dataset").asText(),
          spec.path("strategy").asText(),
          spec.path("initialStrategy").asText(),
          spec.path("resolvedInitialSize").asInt(),
          spec.path("rounds").asInt(),
          spec.path("rounds").asInt() == 1 ? "" : "s",
          spec.path("resolvedBudgetPerRound").asInt(),
          spec.path("poolSize").asInt(),
          spec.path("baseModelId").asText().isEmpty()
              ? ", from scratch"
              : ", from encoder " + spec.path("baseModelId").asText());
      out.flush();
      if (!watch) {
        out.println("follow it with: ./alfer campaign watch " + view.path("campaignId").asText());
        out.flush();
        return 0;
      }
      return Watch.follow(select, view.path("campaignId").asText(), out);
    }

    private String pretrain(PrintWriter out) {
      TrainerClient trainer = new TrainerClient(ServiceDirectory.locate("trainer", home.layout()));
      String jobId =
          String.join(
              "-",
              "pretrain",
              dataset,
              preset == null ? "default" : preset,
              "e" + (pretrainEpochs == null ? "default" : pretrainEpochs),
              "b" + (pretrainBatch == null ? "default" : pretrainBatch),
              "s" + (seed == null ? 0 : seed));
      out.printf("pre-training an encoder on %s's unlabelled pool (job %s)%n", dataset, jobId);
      out.flush();
      trainer.submit(
          TrainingJobRequest.pretrain(
              jobId,
              new TrainingJobRequest.Pretrain(
                  dataset, preset, pretrainEpochs, pretrainBatch, null, null, null, seed)));
      JsonNode done = PretrainWatcher.follow(trainer, jobId, out);
      return done.path("modelId").asText(jobId);
    }
  }

  /** {@code alfer campaign watch}. */
  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = {
        "Follows a campaign: a row per round as its accuracy comes in, a line whenever the loop"
            + " moves on (selecting, labelling with the labels in so far, training, scoring),"
            + " until the campaign ends. Ctrl-C stops watching; the campaign goes on."
      })
  static final class Watch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StackHomeOption home;

    @Parameters(index = "0", paramLabel = "ID", description = "The campaign.")
    String id;

    @Override
    public Integer call() {
      return follow(
          new SelectClient(ServiceDirectory.locate("select", home.layout())),
          id,
          spec.commandLine().getOut());
    }

    /** Follows until the campaign ends; 0 when it completed, 1 otherwise. */
    static int follow(SelectClient select, String id, PrintWriter out) {
      JsonNode view = select.campaign(id);
      out.printf("%-6s %9s %9s %9s  %s%n", "round", "selected", "labelled", "accuracy", "model");
      out.flush();
      int printedRounds = 0;
      String lastPhase = "";
      long start = System.nanoTime();
      while (true) {
        JsonNode rounds = view.path("rounds");
        for (; printedRounds < rounds.size(); printedRounds++) {
          JsonNode r = rounds.get(printedRounds);
          if (!r.hasNonNull("testAccuracy")) {
            break;
          }
          out.printf(
              "%-6d %9d %9d %9s  %s%n",
              r.path("round").asInt(),
              r.path("selected").size(),
              r.path("labelledTotal").asInt(),
              CampaignWatcher.percent(r.path("testAccuracy").asDouble()),
              r.path("modelId").asText());
          out.flush();
        }
        String state = view.path("state").asText();
        String phase = phaseLine(view);
        if (!phase.equals(lastPhase)) {
          out.printf(
              "  %6s  %s%n", CampaignWatcher.duration((System.nanoTime() - start) / 1e9), phase);
          out.flush();
          lastPhase = phase;
        }
        if (CampaignWatcher.ENDED.contains(state)) {
          if ("completed".equals(state)) {
            return 0;
          }
          throw new StackException(
              "campaign " + id + " " + state + ": " + view.path("message").asText());
        }
        Polling.pause(Duration.ofSeconds(1));
        view = select.campaign(id);
      }
    }

    /** Where the campaign stands, e.g. {@code round 2/7: labelling (12/15 labels in)}. */
    static String phaseLine(JsonNode view) {
      String state = view.path("state").asText();
      JsonNode rounds = view.path("rounds");
      int total = view.path("spec").path("rounds").asInt();
      if (CampaignWatcher.ENDED.contains(state)) {
        String message = view.path("message").asText();
        return message.isEmpty()
            ? state
            : message.startsWith(state) ? message : state + ": " + message;
      }
      JsonNode last = rounds.size() == 0 ? null : rounds.get(rounds.size() - 1);
      StringBuilder line = new StringBuilder();
      line.append("round ").append(last == null ? 0 : last.path("round").asInt());
      line.append('/').append(total).append(": ").append(view.path("phase").asText());
      if (last != null && "labelling".equals(view.path("phase").asText())) {
        line.append(" (")
            .append(last.path("labelled").asInt())
            .append('/')
            .append(last.path("selected").size())
            .append(" labels in)");
      }
      if (!"running".equals(state)) {
        line.append(" [").append(state).append(']');
      }
      return line.toString();
    }
  }

  /** {@code alfer campaign list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the campaigns, newest first, with where each stands.")
  static final class ListCampaigns implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StackHomeOption home;

    @Option(
        names = "--state",
        description = "Only running, paused, cancelled, completed or failed campaigns.")
    String state;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SelectClient select = new SelectClient(ServiceDirectory.locate("select", home.layout()));
      JsonNode all = select.list(state);
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {
            "campaign", "dataset", "strategy", "state", "round", "labelled", "accuracy"
          });
      for (JsonNode c : all) {
        JsonNode rounds = c.path("rounds");
        String accuracy = "-";
        for (JsonNode r : rounds) {
          if (r.hasNonNull("testAccuracy")) {
            accuracy = CampaignWatcher.percent(r.path("testAccuracy").asDouble());
          }
        }
        rows.add(
            new String[] {
              c.path("campaignId").asText(),
              c.path("spec").path("dataset").asText(),
              c.path("spec").path("strategy").asText(),
              c.path("state").asText()
                  + (CampaignWatcher.ENDED.contains(c.path("state").asText())
                      ? ""
                      : " (" + c.path("phase").asText() + ")"),
              (rounds.size() == 0 ? 0 : rounds.get(rounds.size() - 1).path("round").asInt())
                  + "/"
                  + c.path("spec").path("rounds").asInt(),
              Integer.toString(c.path("labelledTotal").asInt()),
              accuracy
            });
      }
      if (rows.size() == 1) {
        out.println("no campaigns" + (state == null ? "" : " " + state.toLowerCase(Locale.ROOT)));
        out.flush();
        return 0;
      }
      int[] width = new int[rows.get(0).length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          width[i] = Math.max(width[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(String.format("%-" + width[i] + "s", row[i]));
          if (i < row.length - 1) {
            line.append("  ");
          }
        }
        out.println(line.toString().stripTrailing());
      }
      out.flush();
      return 0;
    }
  }
}
