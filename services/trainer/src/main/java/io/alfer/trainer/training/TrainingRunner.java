package io.alfer.trainer.training;

import ai.djl.pytorch.jni.JniUtils;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.Matrix;
import io.alfer.core.storage.ObjectStore;
import io.alfer.ml.checkpoint.Checkpoint;
import io.alfer.ml.checkpoint.ModelKind;
import io.alfer.ml.checkpoint.ModelMetadata;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.checkpoint.Provenance;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.deepfool.DeepFool;
import io.alfer.ml.deepfool.DeepFoolCandidates;
import io.alfer.ml.deepfool.DeepFoolConfig;
import io.alfer.ml.deepfool.DeepFoolResult;
import io.alfer.ml.eval.QualityProbe;
import io.alfer.ml.finetune.Evaluation;
import io.alfer.ml.finetune.Evaluator;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.finetune.FineTuneResult;
import io.alfer.ml.finetune.FineTuner;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.onnx.OnnxExporter;
import io.alfer.ml.simclr.SimClrConfig;
import io.alfer.ml.simclr.SimClrResult;
import io.alfer.ml.simclr.SimClrTrainer;
import io.alfer.ml.train.TrainingCancelledException;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.MatrixRef;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.PretrainJob;
import io.alfer.trainer.config.TrainerConfig;
import io.alfer.trainer.dataset.DatasetCatalog;
import io.alfer.trainer.job.JobRunner;
import io.alfer.trainer.job.RunContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Runs pre-training and fine-tuning jobs with alfer-ml and stores what they produce under {@code
 * models/<job id>/}: the checkpoint, its metadata and the ONNX export; for a classifier also its
 * linear head ({@code head.f32}) and, when the job asks for them, the DeepFool sizes of the
 * unlabelled pool, or of the job's {@code deepfool_candidates} of it chosen by {@link
 * DeepFoolCandidates} ({@code perturbations.f32} + {@code perturbation-ids.txt}). A pre-training
 * resumes from the job's last epoch checkpoint when there is one; a fine-tuning round (DeepFool
 * included) simply runs again. Nothing is written under {@code models/<job id>/} before a
 * fine-tuning round has finished computing, so a cancelled or interrupted round leaves no objects
 * behind.
 */
@ApplicationScoped
public class TrainingRunner implements JobRunner {
  private static final Logger LOG = Logger.getLogger(TrainingRunner.class);

  /** Images per inference batch when evaluating. */
  private static final int EVAL_BATCH = 256;

  private final DatasetCatalog catalog;
  private final TrainingData data;
  private final ModelStore models;
  private final ObjectStore objects;
  private final TrainerConfig config;

  public TrainingRunner(
      DatasetCatalog catalog,
      TrainingData data,
      ModelStore models,
      ObjectStore objects,
      TrainerConfig config) {
    this.catalog = catalog;
    this.data = data;
    this.models = models;
    this.objects = objects;
    this.config = config;
  }

  /** The DeepFool settings of {@code alfer.trainer.deepfool.*}. */
  public DeepFoolConfig deepFoolConfig() {
    TrainerConfig.Deepfool d = config.deepfool();
    return new DeepFoolConfig(d.maxIterations(), d.overshoot(), d.batchSize());
  }

  @Override
  public ModelPublished run(RunContext context) {
    // PyTorch's grad mode is per thread and on by default; alfer-ml expects it off outside its
    // gradient collectors (as on the thread that loaded the engine), else in-place updates of
    // the weights are refused.
    JniUtils.setGradMode(false);
    return switch (context.request().getJobCase()) {
      case PRETRAIN -> pretrain(context, context.request().getPretrain());
      case FINETUNE -> finetune(context, context.request().getFinetune());
      case JOB_NOT_SET -> throw new IllegalArgumentException("the request holds no job");
    };
  }

  /**
   * The SimCLR configuration of a normalised pre-training request: the request's preset, epochs,
   * batch, temperature, peak learning rate, warm-up and seed; everything else (projection head,
   * optimizer kind, momentum and weight decay, views, the pool's own normalisation) is {@link
   * SimClrConfig#defaults}.
   */
  public static SimClrConfig simClrConfig(PretrainJob job) {
    EncoderSpec spec = EncoderSpec.preset(job.getPreset());
    SimClrConfig defaults = SimClrConfig.defaults(spec, job.getSeed());
    return new SimClrConfig(
        spec,
        defaults.projectionHidden(),
        defaults.projectionOutput(),
        job.getTemperature(),
        job.getBatchSize(),
        job.getEpochs(),
        defaults
            .optimizer()
            .withLearningRate(job.getLearningRate())
            .withWarmupEpochs(job.getWarmupEpochs()),
        defaults.augmentation(),
        defaults.normalization(),
        job.getSeed());
  }

  private ModelPublished pretrain(RunContext context, PretrainJob job) {
    SimClrConfig config = simClrConfig(job);
    String snapshot = fixPool(context, job.getDataset());
    PackedImages pool = data.load(snapshot);
    if (pool.size() < config.batchSize()) {
      throw new IllegalArgumentException(
          "the pool snapshot has "
              + pool.size()
              + " images, fewer than a batch of "
              + config.batchSize());
    }
    QualityProbe probe = qualityProbe(context, job.getDataset(), pool);
    SimClrTrainer trainer = new SimClrTrainer(config, probe);
    Optional<byte[]> resume = context.resumeState();
    try (SimClrResult result =
        resume.isPresent()
            ? trainer.resume(pool, resume.get(), context.hooks())
            : trainer.train(pool, context.hooks())) {
      double[] losses = result.epochLosses();
      double finalLoss = losses.length > 0 ? losses[losses.length - 1] : context.lastEpochLoss();
      EncoderModel encoder = result.encoder();
      Map<String, Double> metrics = new HashMap<>();
      metrics.put("final_loss", finalLoss);
      metrics.put("pool_images", (double) pool.size());
      result
          .finalQuality()
          .ifPresent(
              quality -> {
                metrics.put("knn_accuracy", quality.knnAccuracy());
                metrics.put("linear_probe_accuracy", quality.linearProbeAccuracy());
                metrics.put("quality_images", (double) quality.images());
              });
      Provenance provenance =
          new Provenance(
              job.getDataset(),
              job.getSeed(),
              ModelMetadata.describe(trainer.configFor(pool)),
              metrics,
              null);
      String modelId = context.jobId();
      Stored stored =
          store(
              modelId,
              Checkpoint.of(encoder, provenance),
              ModelKind.ENCODER,
              OnnxExporter.encoder(encoder));
      return ModelPublished.newBuilder()
          .setModelId(modelId)
          .setKind(io.alfer.proto.v1.ModelKind.MODEL_KIND_ENCODER)
          .setDataset(job.getDataset())
          .setJobId(context.jobId())
          .setPreset(job.getPreset())
          .setCheckpoint(stored.checkpoint)
          .setOnnx(stored.onnx)
          .setInputWidth(encoder.width())
          .setInputHeight(encoder.height())
          .setEmbeddingDim(encoder.spec().embeddingSize())
          .setTrainLoss(finalLoss)
          .setSeed(job.getSeed())
          .build();
    }
  }

  /**
   * The dataset's labelled test split as the pre-training's quality probe (only looked at, after
   * each epoch), or null when the dataset has no labelled test images (then no quality is
   * reported).
   */
  private QualityProbe qualityProbe(RunContext context, String dataset, PackedImages pool) {
    PackedImages test;
    try {
      test = data.load(data.snapshotTest(dataset));
    } catch (IllegalArgumentException e) {
      LOG.infof("job %s: no quality figures (%s)", context.jobId(), e.getMessage());
      return null;
    }
    if (test.size() < 2 || test.height() != pool.height() || test.width() != pool.width()) {
      LOG.infof(
          "job %s: no quality figures (%d labelled test images of %d×%d, pool %d×%d)",
          context.jobId(), test.size(), test.height(), test.width(), pool.height(), pool.width());
      return null;
    }
    return QualityProbe.of(test);
  }

  private ModelPublished finetune(RunContext context, FinetuneJob job) {
    DatasetDefined dataset =
        catalog
            .definition(job.getDataset())
            .orElseThrow(
                () -> new IllegalArgumentException("dataset " + job.getDataset() + " is unknown"));
    List<String> taxonomy = dataset.getTaxonomy().getClassesList();
    FineTuneConfig tuning = FineTuneConfig.preset(job.getPreset(), job.getSeed());
    if (job.getMaxEpochs() > 0) {
      tuning = tuning.withMaxEpochs(job.getMaxEpochs());
    }
    DeepFoolConfig attack = job.getDeepfool() ? deepFoolConfig() : null;
    PackedImages pool = data.load(fixPool(context, job.getDataset()));
    PackedImages labelled = labelled(pool, job);
    PackedImages test = data.load(data.snapshotTest(job.getDataset()));
    FineTuner tuner = new FineTuner(tuning);
    try (ClassifierModel model = initialise(tuner, job, pool, labelled, taxonomy.size())) {
      FineTuneResult fit = tuner.fit(model, labelled, context.hooks());
      Evaluation evaluation = Evaluator.evaluate(model, test, EVAL_BATCH);
      double finalLoss = fit.epochLosses()[fit.epochLosses().length - 1];
      Map<String, Double> metrics = new HashMap<>();
      metrics.put("test_accuracy", evaluation.top1());
      metrics.put("train_accuracy", fit.trainAccuracy());
      metrics.put("final_loss", finalLoss);
      metrics.put("epochs", (double) fit.epochsRun());
      metrics.put("labelled", (double) labelled.size());
      metrics.put("test_images", (double) test.size());
      Map<String, Object> training = new HashMap<>(ModelMetadata.describe(tuning));
      training.put("campaign_id", job.getCampaignId());
      training.put("round", job.getRound());
      PackedImages unlabelled = null;
      DeepFoolResult deepfool = null;
      if (attack != null) {
        PackedImages everyUnlabelled = unlabelled(pool, job);
        unlabelled = candidates(everyUnlabelled, job);
        long started = System.nanoTime();
        deepfool = DeepFool.run(model, unlabelled, attack, context.deepFoolHooks(), false);
        double seconds = (System.nanoTime() - started) / 1e9;
        metrics.put("deepfool_images", (double) deepfool.count());
        metrics.put("deepfool_flipped", (double) deepfool.flippedCount());
        metrics.put("deepfool_mean_steps", deepfool.meanIterations());
        metrics.put("deepfool_seconds", seconds);
        metrics.put("deepfool_unlabelled", (double) everyUnlabelled.size());
        training.put("deepfool_max_iterations", attack.maxIterations());
        training.put("deepfool_overshoot", attack.overshoot());
        training.put("deepfool_candidates", job.getDeepfoolCandidates());
        LOG.infof(
            "job %s: DeepFool on %d of %d unlabelled images in %.1f s, %d flipped, %.2f steps each",
            context.jobId(),
            deepfool.count(),
            everyUnlabelled.size(),
            seconds,
            deepfool.flippedCount(),
            deepfool.meanIterations());
      }
      if (context.hooks().isCancelled()) {
        // asked to stop after the last step: honour it before anything is written
        throw new TrainingCancelledException(fit.epochsRun());
      }
      String modelId = context.jobId();
      MatrixRef head = storeHead(modelId, model);
      objects.put(
          ModelStore.key(modelId, ModelStore.EVALUATION),
          evaluationJson(evaluation, taxonomy),
          "application/json");
      Stored stored =
          store(
              modelId,
              Checkpoint.of(
                  model,
                  taxonomy,
                  new Provenance(
                      job.getDataset(),
                      job.getSeed(),
                      training,
                      metrics,
                      job.getBaseModelId().isBlank() ? null : job.getBaseModelId())),
              ModelKind.CLASSIFIER,
              OnnxExporter.classifier(model));
      ModelPublished.Builder out =
          ModelPublished.newBuilder()
              .setModelId(modelId)
              .setKind(io.alfer.proto.v1.ModelKind.MODEL_KIND_CLASSIFIER)
              .setDataset(job.getDataset())
              .setJobId(context.jobId())
              .setCampaignId(job.getCampaignId())
              .setRound(job.getRound())
              .setBaseModelId(job.getBaseModelId())
              .setPreset(model.spec().name())
              .setCheckpoint(stored.checkpoint)
              .setOnnx(stored.onnx)
              .setInputWidth(model.width())
              .setInputHeight(model.height())
              .setEmbeddingDim(model.spec().embeddingSize())
              .setTaxonomy(dataset.getTaxonomy())
              .setTestAccuracy(evaluation.top1())
              .setTrainLoss(finalLoss)
              .setSeed(job.getSeed())
              .setHead(head);
      for (double accuracy : evaluation.perClassAccuracy()) {
        out.addPerClassAccuracy(accuracy);
      }
      if (deepfool != null) {
        storePerturbations(modelId, unlabelled.ids(), deepfool.sizes(), out);
      }
      return out.build();
    }
  }

  /** The head as a classes × (embedding + 1) matrix: row k = class k's weights, then its bias. */
  public static Matrix headMatrix(ClassifierModel model) {
    int c = model.classes();
    int d = model.spec().embeddingSize();
    float[] w = model.headWeights();
    float[] b = model.headBias();
    float[] values = new float[c * (d + 1)];
    for (int k = 0; k < c; k++) {
      System.arraycopy(w, k * d, values, k * (d + 1), d);
      values[k * (d + 1) + d] = b[k];
    }
    return new Matrix(c, d + 1, values);
  }

  /**
   * A classifier's evaluation on the test split as the JSON of {@link ModelStore#EVALUATION}:
   * {@code {"classes", "testAccuracy", "perClassAccuracy" (null for a class without test images),
   * "perClassCount", "confusion" (rows: true class, columns: predicted)}}.
   */
  public static byte[] evaluationJson(Evaluation evaluation, List<String> classes) {
    Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("classes", classes);
    json.put("testAccuracy", evaluation.top1());
    json.put(
        "perClassAccuracy",
        java.util.Arrays.stream(evaluation.perClassAccuracy())
            .mapToObj(a -> Double.isNaN(a) ? null : a)
            .toList());
    json.put("perClassCount", evaluation.perClassCount());
    json.put("confusion", evaluation.confusion());
    try {
      return EVALUATION_JSON.writeValueAsBytes(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write an evaluation: " + e.getMessage(), e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper EVALUATION_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private MatrixRef storeHead(String modelId, ClassifierModel model) {
    Matrix head = headMatrix(model);
    ObjectRef ref =
        objects.put(ModelStore.key(modelId, ModelStore.HEAD), head.toBytes(), Matrix.CONTENT_TYPE);
    return MatrixRef.newBuilder().setObject(ref).setRows(head.rows()).setCols(head.cols()).build();
  }

  /** Writes the sizes (n × 1) first and their ids last, so that the ids mark a complete pair. */
  private void storePerturbations(
      String modelId, List<String> ids, float[] sizes, ModelPublished.Builder out) {
    Matrix matrix = new Matrix(sizes.length, 1, sizes);
    ObjectRef sizesRef =
        objects.put(
            ModelStore.key(modelId, ModelStore.PERTURBATIONS),
            matrix.toBytes(),
            Matrix.CONTENT_TYPE);
    ObjectRef idsRef =
        objects.put(
            ModelStore.key(modelId, ModelStore.PERTURBATION_IDS),
            IdList.toBytes(ids),
            IdList.CONTENT_TYPE);
    out.setPerturbations(
            MatrixRef.newBuilder().setObject(sizesRef).setRows(matrix.rows()).setCols(1))
        .setPerturbationIds(idsRef);
  }

  /** The pool images not in the job's labelled set, by id ascending. */
  private static PackedImages unlabelled(PackedImages pool, FinetuneJob job) {
    Set<String> labelled = new HashSet<>();
    for (LabelledImage image : job.getLabelledList()) {
      labelled.add(image.getImageId());
    }
    List<String> ids = pool.ids();
    int[] rows =
        IntStream.range(0, pool.size())
            .filter(i -> !labelled.contains(ids.get(i)))
            .boxed()
            .sorted(Comparator.comparing(ids::get))
            .mapToInt(Integer::intValue)
            .toArray();
    return pool.select(rows);
  }

  /**
   * The images DeepFool attacks: all of {@code unlabelled} (ids ascending), or the job's {@code
   * deepfool_candidates} of them chosen by {@link DeepFoolCandidates#choose} with the job's seed.
   */
  private static PackedImages candidates(PackedImages unlabelled, FinetuneJob job) {
    List<String> ids = unlabelled.ids();
    List<String> chosen =
        DeepFoolCandidates.choose(ids, job.getDeepfoolCandidates(), job.getSeed());
    int[] rows = new int[chosen.size()];
    int at = 0;
    for (int k = 0; k < rows.length; k++) {
      while (!ids.get(at).equals(chosen.get(k))) {
        at++; // both lists ascend: a merge walk
      }
      rows[k] = at;
    }
    return unlabelled.select(rows);
  }

  /**
   * A fresh classifier: from scratch, normalised by the pool's own mean and deviation, or the base
   * model's encoder (with the normalisation it was trained with) and a new head.
   */
  private ClassifierModel initialise(
      FineTuner tuner, FinetuneJob job, PackedImages pool, PackedImages labelled, int classes) {
    if (job.getBaseModelId().isBlank()) {
      return tuner.initialiseFromScratch(
          EncoderSpec.preset(job.getEncoderPreset()),
          labelled.height(),
          labelled.width(),
          Normalization.of(pool),
          classes);
    }
    try (EncoderModel base = models.load(job.getBaseModelId()).toEncoder()) {
      base.requireImageSize(labelled);
      return tuner.initialise(base, classes);
    }
  }

  /**
   * The labelled images of the request, taken from the pool snapshot, with the request's labels.
   */
  private static PackedImages labelled(PackedImages pool, FinetuneJob job) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < pool.size(); i++) {
      index.put(pool.ids().get(i), i);
    }
    int[] indices = new int[job.getLabelledCount()];
    int[] labels = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      LabelledImage image = job.getLabelled(k);
      Integer i = index.get(image.getImageId());
      if (i == null) {
        throw new IllegalArgumentException(
            "image " + image.getImageId() + " is not in the pool of " + job.getDataset());
      }
      indices[k] = i;
      labels[k] = image.getLabel();
    }
    PackedImages selected = pool.select(indices);
    return new PackedImages(
        selected.height(), selected.width(), selected.ids(), labels, selected.pixels());
  }

  /** The job's pool snapshot: the one fixed at its first start, else the current pool. */
  private String fixPool(RunContext context, String dataset) {
    Optional<String> fixed = context.poolSnapshot();
    if (fixed.isPresent()) {
      return fixed.get();
    }
    String snapshot = data.snapshotPool(dataset);
    context.usePoolSnapshot(snapshot);
    return snapshot;
  }

  private Stored store(String modelId, Checkpoint checkpoint, ModelKind kind, ModelProto onnx) {
    models.save(modelId, checkpoint);
    byte[] archive = checkpoint.toBytes();
    String onnxKey = models.saveOnnx(modelId, kind, onnx);
    byte[] onnxBytes = onnx.toByteArray();
    return new Stored(
        ref(ModelStore.key(modelId, ModelStore.CHECKPOINT), archive), ref(onnxKey, onnxBytes));
  }

  private ObjectRef ref(String key, byte[] bytes) {
    return ObjectRef.newBuilder()
        .setBucket(objects.bucket())
        .setKey(key)
        .setSizeBytes(bytes.length)
        .setSha256(Hashes.sha256Hex(bytes))
        .build();
  }

  private record Stored(ObjectRef checkpoint, ObjectRef onnx) {}
}
