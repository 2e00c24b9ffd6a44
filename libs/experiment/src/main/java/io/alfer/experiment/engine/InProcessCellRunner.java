package io.alfer.experiment.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.alfer.al.Input;
import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.SelectionStrategy;
import io.alfer.al.campaign.CampaignRules;
import io.alfer.al.strategy.Strategies;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.pretrain.PretrainCache;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.experiment.results.CellState;
import io.alfer.experiment.results.ResultRow;
import io.alfer.experiment.results.ResultsLog;
import io.alfer.experiment.results.StateStore;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.deepfool.DeepFoolProgress;
import io.alfer.ml.finetune.Evaluation;
import io.alfer.ml.finetune.Evaluator;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.finetune.FineTuneResult;
import io.alfer.ml.finetune.FineTuner;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.Predictions;
import io.alfer.ml.train.TrainingHooks;
import io.alfer.ml.train.TrainingProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Runs cells in this process with the libraries the services use: alfer-ml fine-tunes and evaluates
 * each round's classifier and scores the pool, alfer-al selects, and the ground truth of the
 * catalog labels what is selected (the oracle).
 *
 * <p>A round: score the pool with the previous round's classifier (only what the strategy reads),
 * select the round's budget with seed {@code seed + round}, then fine-tune a fresh classifier (from
 * scratch, or the SimCLR encoder with a new head) on everything labelled so far and evaluate it on
 * the test split. Round 0 trains on the initial set. After every round the cell's state is saved,
 * then the row is logged; a cell interrupted mid-way goes on from its last saved round.
 */
public final class InProcessCellRunner implements CellExecutor {
  /** Images per inference batch (scoring and evaluation). */
  public static final int INFERENCE_BATCH = 256;

  private final Protocol protocol;
  private final ExperimentData data;
  private final PretrainCache pretraining;
  private final StateStore states;
  private final ClassifierProbes probes;
  private final String[] ids;
  private final Map<String, Integer> rowOf = new HashMap<>();
  private long encoderSeed;
  private EncoderModel encoder;
  private float[] encoderEmbeddings;
  private Normalization poolNormalization;

  public InProcessCellRunner(
      Protocol protocol,
      ExperimentData data,
      PretrainCache pretraining,
      StateStore states,
      ClassifierProbes probes) {
    this.protocol = protocol;
    this.data = data;
    this.pretraining = pretraining;
    this.states = states;
    this.probes = probes;
    this.ids = data.pool().ids().toArray(String[]::new);
    for (int i = 0; i < ids.length; i++) {
      rowOf.put(ids[i], i);
    }
  }

  @Override
  public String execution() {
    return "in-process";
  }

  @Override
  public void run(Cell cell, ResultsLog log, ExperimentListener listener, int index, int total) {
    // PyTorch's grad mode is per thread; alfer-ml expects it off outside its gradient collectors.
    Engine.getInstance(); // loads the native library first
    JniUtils.setGradMode(false);
    int last = protocol.rounds();
    TreeSet<Integer> logged = log.roundsOf(cell);
    if (logged.size() == last + 1) {
      states.finish(cell);
      return;
    }
    CellState state = resumable(cell, log, logged).orElse(null);
    listener.cellStarted(cell, index, total, state == null ? 0 : state.round() + 1);
    EncoderModel pretrained =
        cell.mode() == Mode.PRETRAINED ? encoder(cell.seed(), listener) : null;
    int budget = protocol.budgetCount(ids.length);
    SelectionStrategy strategy =
        Strategies.create(cell.strategy(), strategyParameters(cell.strategy()));
    List<String> initial;
    List<List<String>> picks = new ArrayList<>();
    ClassifierModel model;
    int from;
    if (state == null) {
      long start = System.nanoTime();
      double cpuStart = Machine.cpuSeconds();
      boolean own = protocol.choosesOwnInitialSet(cell.strategy(), cell.mode());
      initial = own ? coldStart(cell, pretrained) : randomInitial(cell.seed());
      double selectSeconds = (System.nanoTime() - start) / 1e9;
      Trained trained = train(cell, 0, initial, picks, pretrained, listener);
      model = trained.model;
      ResultRow row =
          trained.row(
              cell,
              0,
              selectSeconds,
              (System.nanoTime() - start) / 1e9,
              Machine.cpuSeconds() - cpuStart,
              own ? ResultRow.STRATEGY_INITIAL : ResultRow.RANDOM_INITIAL);
      record(cell, log, listener, new CellState(0, initial, picks, row, model.parameterBytes()));
      from = 1;
    } else {
      initial = state.initial();
      picks.addAll(state.picks());
      model = restore(state.model(), pretrained);
      from = state.round() + 1;
    }
    String initialSet =
        protocol.choosesOwnInitialSet(cell.strategy(), cell.mode())
            ? ResultRow.STRATEGY_INITIAL
            : ResultRow.RANDOM_INITIAL;
    try {
      for (int round = from; round <= last; round++) {
        long start = System.nanoTime();
        double cpuStart = Machine.cpuSeconds();
        List<String> labelledIds = labelled(initial, picks);
        Pool pool = pool(cell, round, strategy, model, labelledIds, listener);
        Selection selection =
            strategy.select(pool, budget, CampaignRules.roundSeed(cell.seed(), round));
        double selectSeconds = (System.nanoTime() - start) / 1e9;
        picks.add(selection.ids());
        model.close();
        model = null;
        Trained trained = train(cell, round, initial, picks, pretrained, listener);
        model = trained.model;
        ResultRow row =
            trained.row(
                cell,
                round,
                selectSeconds,
                (System.nanoTime() - start) / 1e9,
                Machine.cpuSeconds() - cpuStart,
                initialSet);
        record(
            cell, log, listener, new CellState(round, initial, picks, row, model.parameterBytes()));
      }
    } finally {
      if (model != null) {
        model.close();
      }
    }
    states.finish(cell);
    listener.cellDone(cell);
  }

  /** The round-0 set every cell without its own initial choice starts from. */
  public List<String> randomInitial(long seed) {
    return CampaignRules.initialRandom(Arrays.asList(ids), protocol.initialCount(ids.length), seed)
        .ids();
  }

  @Override
  public void close() {
    if (encoder != null) {
      encoder.close();
      encoder = null;
    }
  }

  /**
   * The saved state to go on from, if it fits the log: the log holds exactly the rounds up to the
   * state's (then the state's row was logged) or all but the state's round (the state was saved,
   * the row not yet: it is logged now).
   */
  private Optional<CellState> resumable(Cell cell, ResultsLog log, TreeSet<Integer> logged) {
    Optional<CellState> saved = states.load(cell);
    if (saved.isEmpty()) {
      return Optional.empty();
    }
    CellState state = saved.get();
    int round = state.round();
    for (int r = 0; r < round; r++) {
      if (!logged.contains(r)) {
        return Optional.empty();
      }
    }
    if (!logged.isEmpty() && logged.last() > round) {
      return Optional.empty();
    }
    if (!logged.contains(round)) {
      log.append(state.row());
    }
    return Optional.of(state);
  }

  private void record(Cell cell, ResultsLog log, ExperimentListener listener, CellState state) {
    states.save(cell, state);
    if (!log.contains(cell, state.round())) {
      log.append(state.row());
    }
    listener.roundDone(cell, state.row());
  }

  private List<String> coldStart(Cell cell, EncoderModel pretrained) {
    if (encoderEmbeddings == null) {
      float[][] rows = pretrained.embed(data.pool(), INFERENCE_BATCH);
      int d = pretrained.spec().embeddingSize();
      encoderEmbeddings = new float[rows.length * d];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(rows[i], 0, encoderEmbeddings, i * d, d);
      }
    }
    return CampaignRules.initialColdStart(
            cell.strategy(),
            coldStartParameters(cell.strategy()),
            Arrays.asList(ids),
            encoderEmbeddings,
            pretrained.spec().embeddingSize(),
            protocol.initialCount(ids.length),
            cell.seed())
        .ids();
  }

  /**
   * The parameters of a cold-start selection: the strategy's defaults, as the select service runs
   * round 0 ({@code Strategies.create(initialStrategy, Map.of())}); for ProbCover the class count
   * as its cluster count, which its default would read from class probabilities that an encoder
   * does not have.
   */
  private Map<String, String> coldStartParameters(String strategy) {
    Map<String, String> parameters = new HashMap<>();
    if ("probcover".equals(strategy)) {
      parameters.put("clusters", Integer.toString(data.catalog().classes().size()));
    }
    return parameters;
  }

  /**
   * The parameters a strategy runs with: the protocol's, and for ProbCover the class count as its
   * cluster count unless given (what its default reads from the class probabilities, made explicit
   * so that every round of the cell runs alike).
   */
  private Map<String, String> strategyParameters(String strategy) {
    Map<String, String> parameters = new HashMap<>(protocol.parametersOf(strategy));
    if ("probcover".equals(strategy)
        && !parameters.containsKey("clusters")
        && !parameters.containsKey("delta")) {
      parameters.put("clusters", Integer.toString(data.catalog().classes().size()));
    }
    return parameters;
  }

  private Pool pool(
      Cell cell,
      int round,
      SelectionStrategy strategy,
      ClassifierModel model,
      List<String> labelledIds,
      ExperimentListener listener) {
    boolean[] labelled = new boolean[ids.length];
    int[] labels = new int[ids.length];
    Arrays.fill(labels, -1);
    for (String id : labelledIds) {
      int row = rowOf.get(id);
      labelled[row] = true;
      labels[row] = data.poolLabels()[row];
    }
    Pool.Builder builder = Pool.builder(ids, labelled);
    Set<Input> needs = strategy.requires();
    if (needs.contains(Input.EMBEDDINGS) || needs.contains(Input.PROBABILITIES)) {
      Predictions p = model.predict(data.pool(), INFERENCE_BATCH);
      if (needs.contains(Input.EMBEDDINGS)) {
        builder.embeddings(new Matrix(p.embeddings(), p.count(), p.embeddingSize()));
      }
      if (needs.contains(Input.PROBABILITIES)) {
        builder.probabilities(new Matrix(softmax(p), p.count(), p.classes()));
      }
    }
    if (needs.contains(Input.HEAD)) {
      builder.head(probes.head(model));
    }
    if (needs.contains(Input.LABELS)) {
      builder.labels(labels);
    }
    if (needs.contains(Input.PERTURBATIONS)) {
      builder.perturbations(perturbations(model, labelled, p -> listener.deepFool(cell, round, p)));
    }
    return builder.build();
  }

  private float[] perturbations(
      ClassifierModel model, boolean[] labelled, Consumer<DeepFoolProgress> progress) {
    int[] rows = new int[ids.length];
    int count = 0;
    for (int i = 0; i < ids.length; i++) {
      if (!labelled[i]) {
        rows[count++] = i;
      }
    }
    rows = Arrays.copyOf(rows, count);
    float[] sizes = probes.deepFoolSizes(model, data.pool().select(rows), progress);
    float[] out = new float[ids.length];
    Arrays.fill(out, Float.NaN);
    for (int k = 0; k < rows.length; k++) {
      out[rows[k]] = sizes[k];
    }
    return out;
  }

  private static float[] softmax(Predictions p) {
    float[] out = new float[p.count() * p.classes()];
    for (int i = 0; i < p.count(); i++) {
      double[] row = p.probabilities(i);
      for (int k = 0; k < row.length; k++) {
        out[i * p.classes() + k] = (float) row[k];
      }
    }
    return out;
  }

  private Trained train(
      Cell cell,
      int round,
      List<String> initial,
      List<List<String>> picks,
      EncoderModel pretrained,
      ExperimentListener listener) {
    List<String> labelledIds = labelled(initial, picks);
    int[] rows = labelledIds.stream().mapToInt(rowOf::get).toArray();
    PackedImages labelled = data.labelled(rows);
    FineTuneConfig config = protocol.finetuning().config(cell.seed());
    FineTuner tuner = new FineTuner(config);
    int classes = data.catalog().classes().size();
    long start = System.nanoTime();
    ClassifierModel model = initialise(tuner, pretrained, classes);
    try {
      TrainingHooks hooks =
          new TrainingHooks() {
            @Override
            public void onProgress(TrainingProgress progress) {
              listener.training(cell, round, progress);
            }
          };
      // Not retried on divergence: a step is deterministic, the same start would diverge again.
      FineTuneResult fit = tuner.fit(model, labelled, hooks);
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      Evaluation evaluation = Evaluator.evaluate(model, data.test(), INFERENCE_BATCH);
      return new Trained(model, fit, evaluation, labelled.size(), trainSeconds);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * A fresh classifier: from scratch (normalised by the pool's mean and deviation, as the trainer
   * does), or the SimCLR encoder with a new head; the seed fixes it.
   */
  private ClassifierModel initialise(FineTuner tuner, EncoderModel pretrained, int classes) {
    return pretrained == null
        ? tuner.initialiseFromScratch(
            protocol.encoder(), data.imageSide(), data.imageSide(), poolNormalization(), classes)
        : tuner.initialise(pretrained, classes);
  }

  private Normalization poolNormalization() {
    if (poolNormalization == null) {
      poolNormalization = data.poolNormalization();
    }
    return poolNormalization;
  }

  private ClassifierModel restore(byte[] parameters, EncoderModel pretrained) {
    FineTuneConfig config = protocol.finetuning().config(0);
    return ClassifierModel.fromParameters(
        protocol.encoder(),
        data.imageSide(),
        data.imageSide(),
        pretrained == null ? poolNormalization() : pretrained.normalization(),
        data.catalog().classes().size(),
        config.dropout(),
        parameters);
  }

  private static List<String> labelled(List<String> initial, List<List<String>> picks) {
    List<String> all = new ArrayList<>(initial);
    picks.forEach(all::addAll);
    return all;
  }

  /** The SimCLR encoder of a seed; one is kept open at a time (cells run seed by seed). */
  private EncoderModel encoder(long seed, ExperimentListener listener) {
    if (encoder != null && encoderSeed == seed) {
      return encoder;
    }
    close();
    encoderEmbeddings = null;
    encoder = pretraining.encoder(protocol, data, seed, listener);
    encoderSeed = seed;
    return encoder;
  }

  private record Trained(
      ClassifierModel model,
      FineTuneResult fit,
      Evaluation evaluation,
      int labelled,
      double trainSeconds) {
    ResultRow row(
        Cell cell,
        int round,
        double selectSeconds,
        double seconds,
        double cpuSeconds,
        String initialSet) {
      return new ResultRow(
          cell.strategy(),
          cell.mode(),
          cell.seed(),
          round,
          labelled,
          evaluation.top1(),
          evaluation.perClassAccuracy(),
          seconds,
          selectSeconds,
          trainSeconds,
          cpuSeconds,
          Machine.loadAverage(),
          fit.epochsRun(),
          fit.trainAccuracy(),
          initialSet,
          Instant.now());
    }
  }
}
