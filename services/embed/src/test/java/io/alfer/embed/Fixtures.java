package io.alfer.embed;

import com.google.protobuf.Timestamp;
import io.alfer.core.catalog.CatalogWriter;
import io.alfer.core.catalog.KafkaAnnouncer;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.Predictions;
import io.alfer.ml.onnx.OnnxExporter;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Origin;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.S3TestResource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Faces, models and announcements for the tests, on the test kit's Kafka and S3. */
final class Fixtures {
  static final List<String> FER7 =
      List.of("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral");
  static final int SIZE = 48;

  private Fixtures() {}

  /**
   * A canonical face.
   *
   * @param id content id
   * @param pixels gray pixels
   * @param png canonical PNG
   * @param split pool or test
   */
  record Face(String id, byte[] pixels, byte[] png, Split split) {}

  static ObjectStore store() {
    return S3TestResource.objectStore();
  }

  static String bootstrap() {
    return KafkaTestResource.bootstrapServers();
  }

  /** {@code n} distinct synthetic faces; every {@code testEvery}-th is in the test split. */
  static List<Face> faces(long seed, int n, int testEvery) {
    ImageNormalizer normalizer = new ImageNormalizer();
    List<Face> faces = new ArrayList<>(n);
    Iterator<Sample> samples = new SyntheticFer(seed).samples(n);
    while (samples.hasNext()) {
      Sample s = samples.next();
      NormalizedImage img = normalizer.normalizeGrayPixels(s.pixels(), SIZE, SIZE, "fer2013-csv");
      Split split =
          testEvery > 0 && faces.size() % testEvery == 0 ? Split.SPLIT_TEST : Split.SPLIT_POOL;
      faces.add(new Face(img.id(), img.pixels(), img.png(), split));
    }
    return faces;
  }

  /** Stores each face's PNG where ingest would and announces it on alfer.images. */
  static void ingest(String dataset, List<Face> faces) {
    try (RawProducer producer = new RawProducer(bootstrap())) {
      for (Face f : faces) {
        String key = StorageLayout.canonicalImage(dataset, f.id());
        ObjectRef ref = store().put(key, f.png(), "image/png");
        announce(producer, dataset, f, ref);
      }
    }
  }

  /**
   * Stores and announces faces as an import does, through the catalog writer's pixel segments of
   * {@code perSegment} faces; returns the segments' keys in order.
   */
  static List<String> ingestInSegments(String dataset, List<Face> faces, int perSegment) {
    List<String> segments = new ArrayList<>();
    try (KafkaAnnouncer announcer = new KafkaAnnouncer(bootstrap())) {
      CatalogWriter writer = new CatalogWriter(store(), announcer, "test", "embed-test");
      List<java.util.concurrent.CompletableFuture<ImageIngested>> sent = new ArrayList<>();
      try (CatalogWriter.Segments batch = writer.segments(dataset, perSegment)) {
        for (Face f : faces) {
          sent.add(
              batch
                  .add(
                      new CatalogWriter.Image(
                          f.id(), f.png(), SIZE, SIZE, "raw-gray", null, f.pixels()),
                      f.split(),
                      -1,
                      "test")
                  .toCompletableFuture());
        }
      }
      for (var s : sent) {
        String key = s.join().getPixels().getSegment().getKey();
        if (!segments.contains(key)) {
          segments.add(key);
        }
      }
    }
    return segments;
  }

  /** Announces a face whose PNG was never stored. */
  static void announceOnly(String dataset, Face f) {
    try (RawProducer producer = new RawProducer(bootstrap())) {
      String key = StorageLayout.canonicalImage(dataset, f.id());
      announce(producer, dataset, f, ObjectRef.newBuilder().setBucket("alfer").setKey(key).build());
    }
  }

  private static void announce(RawProducer producer, String dataset, Face f, ObjectRef ref) {
    ImageIngested event =
        ImageIngested.newBuilder()
            .setImageId(f.id())
            .setDataset(dataset)
            .setSplit(f.split())
            .setLabel(-1)
            .setCanonical(ref)
            .setWidth(SIZE)
            .setHeight(SIZE)
            .setSourceFormat("fer2013-csv")
            .build();
    producer.send(Topic.IMAGES.topicName(), f.id(), event.toByteArray());
  }

  /** Sends raw bytes to a topic. */
  static void send(Topic topic, String key, byte[] value) {
    try (RawProducer producer = new RawProducer(bootstrap())) {
      producer.send(topic.topicName(), key, value, Map.of());
    }
  }

  /** A fresh TINY encoder (seeded), exported to ONNX and stored as models/<id>/encoder.onnx. */
  static EncoderModel encoder(String modelId, long seed) {
    EncoderModel model =
        EncoderModel.create(EncoderSpec.TINY, SIZE, SIZE, Normalization.SYMMETRIC, seed);
    save(modelId, io.alfer.ml.checkpoint.ModelKind.ENCODER, OnnxExporter.encoder(model));
    return model;
  }

  /** A fresh TINY seven-class classifier, exported and stored. */
  static ClassifierModel classifier(String modelId, long seed) {
    ClassifierModel model =
        ClassifierModel.fromScratch(
            EncoderSpec.TINY, SIZE, SIZE, new Normalization(0.4f, 0.3f), 7, 0.1f, seed);
    save(modelId, io.alfer.ml.checkpoint.ModelKind.CLASSIFIER, OnnxExporter.classifier(model));
    return model;
  }

  private static void save(String modelId, io.alfer.ml.checkpoint.ModelKind kind, ModelProto p) {
    ModelStore.on(store()).saveOnnx(modelId, kind, p);
  }

  /** Announces a model on alfer.models, stamped {@code seconds} after the epoch. */
  static ModelPublished publish(
      String modelId, ModelKind kind, String dataset, String onnxKey, long seconds) {
    ModelPublished.Builder m =
        ModelPublished.newBuilder()
            .setModelId(modelId)
            .setKind(kind)
            .setDataset(dataset)
            .setPreset("tiny")
            .setOnnx(ObjectRef.newBuilder().setBucket("alfer").setKey(onnxKey))
            .setInputWidth(SIZE)
            .setInputHeight(SIZE)
            .setEmbeddingDim(EncoderSpec.TINY.embeddingSize())
            .setOrigin(
                Origin.newBuilder()
                    .setService("trainer")
                    .setInstance("test")
                    .setTime(Timestamp.newBuilder().setSeconds(seconds)));
    if (kind == ModelKind.MODEL_KIND_CLASSIFIER) {
      m.setTaxonomy(Taxonomy.newBuilder().addAllClasses(FER7));
    }
    ModelPublished event = m.build();
    send(Topic.MODELS, modelId, event.toByteArray());
    return event;
  }

  static String encoderKey(String modelId) {
    return ModelStore.key(modelId, ModelStore.ENCODER_ONNX);
  }

  static String classifierKey(String modelId) {
    return ModelStore.key(modelId, ModelStore.CLASSIFIER_ONNX);
  }

  /** The faces packed for DJL. */
  static PackedImages packed(List<Face> faces) {
    byte[] pixels = new byte[faces.size() * SIZE * SIZE];
    for (int i = 0; i < faces.size(); i++) {
      System.arraycopy(faces.get(i).pixels(), 0, pixels, i * SIZE * SIZE, SIZE * SIZE);
    }
    int[] labels = new int[faces.size()];
    java.util.Arrays.fill(labels, PackedImages.UNLABELLED);
    return new PackedImages(SIZE, SIZE, faces.stream().map(Face::id).toList(), labels, pixels);
  }

  /** DJL's classifier outputs for the faces: the reference the service is checked against. */
  static Predictions predictions(ClassifierModel model, List<Face> faces) {
    return model.predict(packed(faces), 16);
  }
}
