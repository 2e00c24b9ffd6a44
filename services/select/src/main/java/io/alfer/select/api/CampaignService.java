package io.alfer.select.api;

import io.alfer.al.campaign.CampaignRules;
import io.alfer.al.strategy.Strategies;
import io.alfer.core.api.CampaignRequest;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.CampaignState;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ResolvedSizes;
import io.alfer.proto.v1.StateChanged;
import io.alfer.proto.v1.UnansweredPolicy;
import io.alfer.select.campaign.Campaign;
import io.alfer.select.campaign.CampaignLog;
import io.alfer.select.config.SelectConfig;
import io.alfer.select.inputs.Inputs;
import io.alfer.select.metrics.SelectMetrics;
import io.alfer.select.state.Life;
import io.alfer.select.state.SelectState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Creates, lists and changes campaigns. A request is checked against what the service knows of the
 * other services (datasets, pool, models) and refused with a stable reason, or recorded as the
 * campaign's first event on alfer.campaigns; the loop takes it from there.
 */
@ApplicationScoped
public class CampaignService {
  private static final Logger LOG = Logger.getLogger(CampaignService.class);

  /** Campaign ids: they become job ids ({@code <id>-r<round>}) and object keys. */
  public static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private static final Pattern VENDOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** Initial strategies: random, or a cold-start strategy on the base encoder's embeddings. */
  public static final List<String> INITIAL_STRATEGIES =
      List.of("random", "typiclust", "probcover", "coreset");

  private final SelectState state;
  private final CampaignLog log;
  private final SelectConfig config;

  public CampaignService(SelectState state, CampaignLog log, SelectConfig config) {
    this.state = state;
    this.log = log;
    this.config = config;
  }

  /**
   * What {@link #create} did.
   *
   * @param view the campaign
   * @param created false when the same campaign existed already
   */
  public record Created(CampaignView view, boolean created) {}

  /** Creates a campaign (or finds the identical one). */
  public Created create(CampaignRequest request) {
    Life life = life();
    if (request == null) {
      throw ServiceException.badRequest("missing_body", "POST /campaigns needs a JSON body");
    }
    String id =
        blank(request.campaignId())
            ? "c-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            : request.campaignId().trim();
    if (!CAMPAIGN_ID.matcher(id).matches()) {
      throw ServiceException.badRequest(
          "invalid_campaign_id", "campaign id '" + id + "' must match " + CAMPAIGN_ID.pattern());
    }
    CampaignSpec spec = validate(id, request, life.inputs());
    Campaign c = life.book().slot(id);
    synchronized (c) {
      if (c.exists()) {
        if (comparable(c.spec()).equals(comparable(spec))) {
          return new Created(CampaignView.of(c, life.inputs()), false);
        }
        throw ServiceException.conflict(
            "campaign_exists", "campaign " + id + " exists with a different spec");
      }
      try {
        log.append(life.book(), c, b -> b.setCreated(spec));
      } catch (RuntimeException e) {
        throw ServiceException.unavailable(
            "unavailable",
            "the campaign could not be recorded on alfer.campaigns: " + e.getMessage());
      }
    }
    LOG.infof(
        "campaign %s created: %s on %s, %d + %d x %d labels, seed %d",
        id,
        spec.getStrategy(),
        spec.getDataset(),
        spec.getResolved().getInitialSize(),
        spec.getRounds(),
        spec.getResolved().getBudgetPerRound(),
        spec.getSeed());
    state.recount();
    state.nudge();
    return new Created(CampaignView.of(c, life.inputs()), true);
  }

  private static CampaignSpec comparable(CampaignSpec spec) {
    return spec.toBuilder().clearResolved().build();
  }

  private CampaignSpec validate(String id, CampaignRequest q, Inputs inputs) {
    // dataset and pool
    if (blank(q.dataset())) {
      throw ServiceException.badRequest("missing_dataset", "the campaign names no dataset");
    }
    String dataset = q.dataset().trim();
    if (inputs.dataset(dataset).isEmpty()) {
      throw ServiceException.badRequest(
          "unknown_dataset",
          "dataset '" + dataset + "' is not defined (nothing on alfer.datasets)");
    }
    int pool = inputs.poolSize(dataset);
    if (pool == 0) {
      throw ServiceException.badRequest("empty_pool", "dataset " + dataset + " has no pool images");
    }
    if (inputs.labelledTestSize(dataset) == 0) {
      throw ServiceException.badRequest(
          "no_test_split",
          "dataset " + dataset + " has no labelled test images to evaluate the rounds on");
    }
    // strategies
    if (blank(q.strategy())) {
      throw ServiceException.badRequest(
          "missing_strategy", "the campaign names no strategy; known: " + Strategies.names());
    }
    String strategy = q.strategy().trim();
    if (!Strategies.names().contains(strategy)) {
      throw ServiceException.badRequest(
          "unknown_strategy",
          "unknown strategy '" + strategy + "'; known: " + String.join(", ", Strategies.names()));
    }
    Map<String, String> parameters =
        q.strategyParameters() == null ? Map.of() : new TreeMap<>(q.strategyParameters());
    try {
      Strategies.create(strategy, parameters);
    } catch (IllegalArgumentException e) {
      throw ServiceException.badRequest("invalid_parameter", e.getMessage());
    }
    String initial = blank(q.initialStrategy()) ? "random" : q.initialStrategy().trim();
    if (!INITIAL_STRATEGIES.contains(initial)) {
      throw ServiceException.badRequest(
          "invalid_initial_strategy",
          "initial strategy '"
              + initial
              + "' must be one of "
              + String.join(", ", INITIAL_STRATEGIES));
    }
    String base = blank(q.baseModelId()) ? "" : q.baseModelId().trim();
    if (!initial.equals("random") && base.isEmpty()) {
      throw ServiceException.badRequest(
          "base_model_required",
          "initial strategy "
              + initial
              + " runs on a pre-trained encoder's embeddings: set baseModelId");
    }
    if (!base.isEmpty()) {
      Optional<ModelPublished> model = inputs.model(base);
      if (model.isEmpty()) {
        throw ServiceException.badRequest(
            "unknown_base_model", "no model " + base + " on alfer.models");
      }
      if (model.get().getKind() != ModelKind.MODEL_KIND_ENCODER) {
        throw ServiceException.badRequest(
            "base_model_mismatch", "model " + base + " is not a pre-trained encoder");
      }
      if (!model.get().getDataset().equals(dataset)) {
        throw ServiceException.badRequest(
            "base_model_mismatch",
            "encoder " + base + " was trained on " + model.get().getDataset() + ", not " + dataset);
      }
    }
    // sizes
    int rounds = required(q.rounds(), "rounds", "missing_rounds");
    if (rounds < 0 || rounds > config.maxRounds()) {
      throw ServiceException.badRequest(
          "invalid_rounds", "rounds must be in 0.." + config.maxRounds() + ", got " + rounds);
    }
    int initialSize = nonNegative(q.initialSize(), "initialSize");
    double initialFraction = fraction(q.initialFraction(), "initialFraction");
    if (initialSize > 0 && initialFraction > 0) {
      throw ServiceException.badRequest(
          "conflicting_sizes", "give initialSize or initialFraction, not both");
    }
    if (initialSize == 0 && initialFraction == 0) {
      throw ServiceException.badRequest(
          "missing_initial_size", "give initialSize or initialFraction");
    }
    int budget = nonNegative(q.budgetPerRound(), "budgetPerRound");
    double budgetFraction = fraction(q.budgetFraction(), "budgetFraction");
    if (budget > 0 && budgetFraction > 0) {
      throw ServiceException.badRequest(
          "conflicting_sizes", "give budgetPerRound or budgetFraction, not both");
    }
    if (rounds > 0 && budget == 0 && budgetFraction == 0) {
      throw ServiceException.badRequest(
          "missing_budget", "a campaign with rounds needs budgetPerRound or budgetFraction");
    }
    int totalBudget = nonNegative(q.totalBudget(), "totalBudget");
    int resolvedInitial = CampaignRules.size(initialSize, initialFraction, pool);
    int resolvedBudget = rounds == 0 ? 0 : CampaignRules.size(budget, budgetFraction, pool);
    if (resolvedInitial < 2) {
      throw ServiceException.badRequest(
          "impossible_size",
          "the initial set would hold "
              + resolvedInitial
              + " images; fine-tuning needs at least 2 (pool of "
              + pool
              + ")");
    }
    if (rounds > 0 && resolvedBudget < 1) {
      throw ServiceException.badRequest(
          "impossible_size",
          "a round would select " + resolvedBudget + " images (pool of " + pool + ")");
    }
    if (resolvedInitial > config.maxRoundSize() || resolvedBudget > config.maxRoundSize()) {
      throw ServiceException.badRequest(
          "impossible_size", "a round may select at most " + config.maxRoundSize() + " images");
    }
    if (totalBudget > 0 && totalBudget < resolvedInitial) {
      throw ServiceException.badRequest(
          "impossible_size",
          "totalBudget " + totalBudget + " is below the initial set of " + resolvedInitial);
    }
    int candidates = CampaignRules.deepFoolCandidates(strategy, parameters);
    if (rounds > 0 && candidates > 0 && candidates < resolvedBudget) {
      throw ServiceException.badRequest(
          "invalid_parameter",
          "deepfool parameter candidates="
              + candidates
              + " is below the budget of "
              + resolvedBudget
              + " images per round: a round ranks only the unlabelled images DeepFool attacked, so"
              + " it could not fill its budget; set candidates >= "
              + resolvedBudget
              + ", or 0 for every unlabelled image");
    }
    long planned = resolvedInitial + (long) rounds * resolvedBudget;
    if (totalBudget > 0) {
      planned = Math.min(planned, totalBudget);
    }
    if (planned > pool) {
      throw ServiceException.badRequest(
          "impossible_size",
          "the campaign would label "
              + planned
              + " images but the pool of "
              + dataset
              + " has "
              + pool);
    }
    // training
    String finetunePreset =
        blank(q.finetunePreset()) ? "" : q.finetunePreset().trim().toLowerCase(Locale.ROOT);
    if (!finetunePreset.isEmpty() && !config.finetunePresets().contains(finetunePreset)) {
      throw ServiceException.badRequest(
          "unknown_preset",
          "unknown fine-tuning preset '"
              + finetunePreset
              + "'; known: "
              + config.finetunePresets());
    }
    String encoderPreset =
        blank(q.encoderPreset()) ? "" : q.encoderPreset().trim().toLowerCase(Locale.ROOT);
    if (!encoderPreset.isEmpty() && !config.encoderPresets().contains(encoderPreset)) {
      throw ServiceException.badRequest(
          "unknown_preset",
          "unknown encoder preset '" + encoderPreset + "'; known: " + config.encoderPresets());
    }
    int maxEpochs = nonNegative(q.finetuneMaxEpochs(), "finetuneMaxEpochs");
    // labelling
    List<String> vendors =
        q.vendors() == null
            ? List.of()
            : q.vendors().stream().map(v -> v == null ? "" : v.trim()).toList();
    for (String v : vendors) {
      if (!VENDOR.matcher(v).matches()) {
        throw ServiceException.badRequest(
            "invalid_vendor", "vendor name '" + v + "' must match " + VENDOR.pattern());
      }
    }
    if (vendors.stream().distinct().count() != vendors.size()) {
      throw ServiceException.badRequest("invalid_vendor", "a vendor is named twice: " + vendors);
    }
    int annotations = q.annotationsPerImage() == null ? 1 : q.annotationsPerImage();
    if (annotations < 1 || annotations > config.maxAnnotationsPerImage()) {
      throw ServiceException.badRequest(
          "invalid_annotations",
          "annotationsPerImage must be in 1.."
              + config.maxAnnotationsPerImage()
              + ", got "
              + annotations);
    }
    UnansweredPolicy onUnanswered = unansweredPolicy(q.onUnanswered());
    return CampaignSpec.newBuilder()
        .setCampaignId(id)
        .setDataset(dataset)
        .setStrategy(strategy)
        .putAllStrategyParameters(parameters)
        .setInitialStrategy(initial)
        .setInitialSize(initialSize)
        .setInitialFraction(initialFraction)
        .setBudgetPerRound(budget)
        .setBudgetFraction(budgetFraction)
        .setRounds(rounds)
        .setTotalBudget(totalBudget)
        .setBaseModelId(base)
        .setFinetunePreset(finetunePreset)
        .setEncoderPreset(encoderPreset)
        .setFinetuneMaxEpochs(maxEpochs)
        .setSeed(q.seed() == null ? 0 : q.seed())
        .addAllVendors(vendors)
        .setAnnotationsPerImage(annotations)
        .setOnUnanswered(onUnanswered)
        .setResolved(
            ResolvedSizes.newBuilder()
                .setPoolSize(pool)
                .setInitialSize(resolvedInitial)
                .setBudgetPerRound(resolvedBudget))
        .build();
  }

  /** {@code skip} (the default) or {@code reassign}. */
  static UnansweredPolicy unansweredPolicy(String name) {
    if (name == null || name.isBlank() || name.trim().equalsIgnoreCase("skip")) {
      return UnansweredPolicy.UNANSWERED_POLICY_SKIP;
    }
    if (name.trim().equalsIgnoreCase("reassign")) {
      return UnansweredPolicy.UNANSWERED_POLICY_REASSIGN;
    }
    throw ServiceException.badRequest(
        "invalid_on_unanswered", "onUnanswered must be skip or reassign, got '" + name + "'");
  }

  /** The API name of a policy. */
  public static String unansweredPolicyName(UnansweredPolicy policy) {
    return policy == UnansweredPolicy.UNANSWERED_POLICY_REASSIGN ? "reassign" : "skip";
  }

  /** Every campaign, newest first, optionally only those in {@code stateFilter}. */
  /**
   * Every campaign, newest first; as summaries (rounds without their ids, see {@link
   * CampaignView#of(Campaign, Inputs, boolean)}) when {@code summary}.
   */
  public List<CampaignView> list(String stateFilter, boolean summary) {
    Life life = life();
    CampaignState wanted = null;
    if (!blank(stateFilter)) {
      wanted = parseState(stateFilter.trim());
    }
    CampaignState only = wanted;
    return life.book().all().stream()
        .filter(c -> only == null || c.state() == only)
        .sorted(Comparator.comparing(Campaign::createdAt).reversed().thenComparing(Campaign::id))
        .map(c -> CampaignView.of(c, life.inputs(), summary))
        .toList();
  }

  /** One campaign. */
  public CampaignView get(String id) {
    Life life = life();
    return CampaignView.of(campaign(life, id), life.inputs());
  }

  /** One round of a campaign. */
  public CampaignView.RoundView round(String id, String round) {
    Life life = life();
    Campaign c = campaign(life, id);
    return CampaignView.round(c, selectedRound(c, round), life.inputs());
  }

  /** The campaign and the selected round named by {@code round}; 400/404 otherwise. */
  public Campaign.Round selectedRound(Campaign c, String round) {
    int r;
    try {
      r = Integer.parseInt(round);
    } catch (NumberFormatException e) {
      throw ServiceException.badRequest("invalid_round", "round '" + round + "' is not a number");
    }
    Campaign.Round found = c.round(r, false);
    if (found == null || found.selected() == null) {
      throw ServiceException.notFound(
          "unknown_round", "campaign " + c.id() + " has no round " + r + " (yet)");
    }
    return found;
  }

  /** Pauses a running campaign. */
  public CampaignView pause(String id, String reason) {
    return change(id, CampaignState.CAMPAIGN_STATE_PAUSED, reason);
  }

  /** Resumes a paused campaign. */
  public CampaignView resume(String id, String reason) {
    return change(id, CampaignState.CAMPAIGN_STATE_RUNNING, reason);
  }

  /** Cancels a running or paused campaign, for good. */
  public CampaignView cancel(String id, String reason) {
    return change(id, CampaignState.CAMPAIGN_STATE_CANCELLED, reason);
  }

  private CampaignView change(String id, CampaignState to, String reason) {
    Life life = life();
    Campaign c = campaign(life, id);
    synchronized (c) {
      CampaignState from = c.state();
      boolean allowed =
          switch (to) {
            case CAMPAIGN_STATE_PAUSED -> from == CampaignState.CAMPAIGN_STATE_RUNNING;
            case CAMPAIGN_STATE_RUNNING -> from == CampaignState.CAMPAIGN_STATE_PAUSED;
            case CAMPAIGN_STATE_CANCELLED ->
                from == CampaignState.CAMPAIGN_STATE_RUNNING
                    || from == CampaignState.CAMPAIGN_STATE_PAUSED;
            default -> false;
          };
      if (!allowed) {
        throw ServiceException.conflict(
            "invalid_transition",
            "campaign "
                + id
                + " is "
                + SelectMetrics.stateName(from)
                + "; it cannot become "
                + SelectMetrics.stateName(to));
      }
      String why = reason == null ? "" : reason.trim();
      try {
        log.append(
            life.book(),
            c,
            b -> b.setStateChanged(StateChanged.newBuilder().setState(to).setReason(why)));
      } catch (RuntimeException e) {
        throw ServiceException.unavailable(
            "unavailable",
            "the change could not be recorded on alfer.campaigns: " + e.getMessage());
      }
    }
    LOG.infof("campaign %s is now %s", id, SelectMetrics.stateName(to));
    state.recount();
    state.nudge();
    return CampaignView.of(c, life.inputs());
  }

  /** The state with this API name; 400 otherwise. */
  public static CampaignState parseState(String name) {
    for (CampaignState s : CampaignState.values()) {
      if (s != CampaignState.CAMPAIGN_STATE_UNSPECIFIED
          && s != CampaignState.UNRECOGNIZED
          && SelectMetrics.stateName(s).equals(name)) {
        return s;
      }
    }
    throw ServiceException.badRequest(
        "invalid_state",
        "state '" + name + "' must be one of running, paused, cancelled, completed, failed");
  }

  /** The campaign {@code id}; 404 otherwise. */
  public Campaign campaign(Life life, String id) {
    Campaign c = life.book().find(id);
    if (c == null) {
      throw ServiceException.notFound("unknown_campaign", "no campaign " + id);
    }
    return c;
  }

  /** The ready state; 503 while it is replayed. */
  public Life life() {
    Life life = state.readyLife();
    if (life == null) {
      throw ServiceException.unavailable(
          "not_ready", "the campaign state is still being replayed from the topics");
    }
    return life;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static int required(Integer value, String name, String reason) {
    if (value == null) {
      throw ServiceException.badRequest(reason, "the campaign needs " + name);
    }
    return value;
  }

  private static int nonNegative(Integer value, String name) {
    if (value == null) {
      return 0;
    }
    if (value < 0) {
      throw ServiceException.badRequest("invalid_size", name + " must be >= 0, got " + value);
    }
    return value;
  }

  private static double fraction(Double value, String name) {
    if (value == null) {
      return 0;
    }
    if (!(value >= 0 && value <= 1)) {
      throw ServiceException.badRequest(
          "invalid_size", name + " must be a fraction in [0, 1], got " + value);
    }
    return value;
  }
}
