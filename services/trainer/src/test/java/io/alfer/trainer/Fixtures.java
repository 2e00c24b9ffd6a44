package io.alfer.trainer;

import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.ml.data.PackedImages;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.PretrainJob;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.S3TestResource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Small datasets as ingest leaves them: canonical PNGs in S3, the definition on {@code
 * alfer.datasets} and every image on {@code alfer.images}. Each class brightens its own band of
 * rows, so a classifier can learn them in a few epochs.
 */
final class Fixtures {
  static final List<String> CLASSES = List.of("calm", "happy", "sad");
  static final int SIZE = 16;

  private Fixtures() {}

  /** A stored, announced dataset; {@code pool} holds the pool's pixels, unlabelled. */
  record Dataset(
      String name, List<String> poolIds, int[] poolLabels, PackedImages pool, PackedImages test) {
    /** The first {@code n} pool images with their true labels. */
    List<LabelledImage> labelled(int n) {
      List<LabelledImage> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(
            LabelledImage.newBuilder().setImageId(poolIds.get(i)).setLabel(poolLabels[i]).build());
      }
      return out;
    }
  }

  /** Stores and announces a dataset of {@code pool} + {@code test} banded images. */
  static Dataset dataset(String name, int pool, int test) {
    ObjectStore store = S3TestResource.objectStore();
    List<String> poolIds = new ArrayList<>();
    int[] poolLabels = new int[pool];
    List<String> testIds = new ArrayList<>();
    int[] testLabels = new int[test];
    byte[] testPixels = new byte[test * SIZE * SIZE];
    byte[] poolPixels = new byte[pool * SIZE * SIZE];
    SplittableRandom random = new SplittableRandom(name.hashCode());
    try (RawProducer producer = new RawProducer(KafkaTestResource.bootstrapServers())) {
      DatasetDefined definition =
          DatasetDefined.newBuilder()
              .setDataset(name)
              .setTaxonomy(Taxonomy.newBuilder().addAllClasses(CLASSES))
              .setWidth(SIZE)
              .setHeight(SIZE)
              .setLayout("upload")
              .build();
      producer.send(Topic.DATASETS.topicName(), name, definition.toByteArray());
      for (int i = 0; i < pool + test; i++) {
        boolean inPool = i < pool;
        int label = i % CLASSES.size();
        byte[] pixels = banded(label, random);
        String id = String.format("%s-%s%03d", name, inPool ? "p" : "t", i);
        store.put(StorageLayout.canonicalImage(name, id), png(pixels), "image/png");
        if (inPool) {
          poolIds.add(id);
          poolLabels[i] = label;
          System.arraycopy(pixels, 0, poolPixels, i * SIZE * SIZE, SIZE * SIZE);
        } else {
          testIds.add(id);
          testLabels[i - pool] = label;
          System.arraycopy(pixels, 0, testPixels, (i - pool) * SIZE * SIZE, SIZE * SIZE);
        }
        ImageIngested image =
            ImageIngested.newBuilder()
                .setImageId(id)
                .setDataset(name)
                .setSplit(inPool ? Split.SPLIT_POOL : Split.SPLIT_TEST)
                .setLabel(label)
                .setWidth(SIZE)
                .setHeight(SIZE)
                .build();
        producer.send(Topic.IMAGES.topicName(), id, image.toByteArray());
      }
    }
    int[] unlabelled = new int[pool];
    java.util.Arrays.fill(unlabelled, PackedImages.UNLABELLED);
    return new Dataset(
        name,
        poolIds,
        poolLabels,
        new PackedImages(SIZE, SIZE, poolIds, unlabelled, poolPixels),
        new PackedImages(SIZE, SIZE, testIds, testLabels, testPixels));
  }

  /** A small, fast pre-training request. */
  static TrainingRequest pretrain(String jobId, String dataset, int epochs) {
    return TrainingRequest.newBuilder()
        .setJobId(jobId)
        .setPretrain(
            PretrainJob.newBuilder()
                .setDataset(dataset)
                .setPreset("tiny")
                .setEpochs(epochs)
                .setBatchSize(8)
                .setTemperature(0.5f)
                .setLearningRate(0.05f)
                .setSeed(11))
        .build();
  }

  private static byte[] banded(int label, SplittableRandom random) {
    byte[] pixels = new byte[SIZE * SIZE];
    int band = SIZE / CLASSES.size();
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int base = Math.min(y / band, CLASSES.size() - 1) == label ? 200 : 40;
        pixels[y * SIZE + x] = (byte) Math.min(255, Math.max(0, base + random.nextInt(-30, 31)));
      }
    }
    return pixels;
  }

  private static byte[] png(byte[] pixels) {
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, SIZE, SIZE, pixels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
