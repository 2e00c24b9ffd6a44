package io.alfer.ml.checkpoint;

import io.alfer.core.storage.Hashes;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model's parameters (DJL's parameter format, running statistics included) with its metadata. As
 * bytes it is a zip of {@value #METADATA_ENTRY} and {@value #PARAMETERS_ENTRY}; loading rebuilds a
 * model whose outputs are bit-identical to the saved one's.
 */
public record Checkpoint(ModelMetadata metadata, byte[] parameters) {
  public static final String METADATA_ENTRY = "metadata.json";
  public static final String PARAMETERS_ENTRY = "parameters.djl";

  /** A checkpoint of an encoder. */
  public static Checkpoint of(EncoderModel model, Provenance provenance) {
    return seal(ModelMetadata.encoder(model, provenance), model.parameterBytes());
  }

  /** A checkpoint of a classifier with its class names. */
  public static Checkpoint of(ClassifierModel model, List<String> taxonomy, Provenance provenance) {
    return seal(ModelMetadata.classifier(model, taxonomy, provenance), model.parameterBytes());
  }

  private static Checkpoint seal(ModelMetadata metadata, byte[] parameters) {
    return new Checkpoint(metadata.withParametersSha256(Hashes.sha256Hex(parameters)), parameters);
  }

  /** The encoder this checkpoint holds (a classifier's encoder for a classifier checkpoint). */
  public EncoderModel toEncoder() {
    if (metadata.kind() == ModelKind.ENCODER) {
      return EncoderModel.fromParameters(
          metadata.architecture(),
          metadata.inputHeight(),
          metadata.inputWidth(),
          metadata.normalization(),
          parameters);
    }
    try (ClassifierModel classifier = toClassifier()) {
      return EncoderModel.fromParameters(
          metadata.architecture(),
          metadata.inputHeight(),
          metadata.inputWidth(),
          metadata.normalization(),
          classifier.encoderParameterBytes());
    }
  }

  /** The classifier this checkpoint holds; fails for an encoder checkpoint. */
  public ClassifierModel toClassifier() {
    if (metadata.kind() != ModelKind.CLASSIFIER) {
      throw new IllegalStateException("checkpoint holds an encoder, not a classifier");
    }
    return ClassifierModel.fromParameters(
        metadata.architecture(),
        metadata.inputHeight(),
        metadata.inputWidth(),
        metadata.normalization(),
        metadata.taxonomy().size(),
        metadata.dropout(),
        parameters);
  }

  /** The zip form. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      write(zip, METADATA_ENTRY, metadata.toJson().getBytes(StandardCharsets.UTF_8));
      write(zip, PARAMETERS_ENTRY, parameters);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads the zip form, checking that the parameters match the recorded hash. */
  public static Checkpoint fromBytes(byte[] bytes) {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a checkpoint archive: " + e.getMessage(), e);
    }
    byte[] json = entries.get(METADATA_ENTRY);
    byte[] parameters = entries.get(PARAMETERS_ENTRY);
    if (json == null || parameters == null) {
      throw new IllegalArgumentException(
          "checkpoint archive needs "
              + METADATA_ENTRY
              + " and "
              + PARAMETERS_ENTRY
              + ", has "
              + entries.keySet());
    }
    ModelMetadata metadata = ModelMetadata.fromJson(new String(json, StandardCharsets.UTF_8));
    String actual = Hashes.sha256Hex(parameters);
    if (!actual.equals(metadata.parametersSha256())) {
      throw new IllegalArgumentException(
          "checkpoint parameters are corrupt: SHA-256 "
              + actual
              + ", metadata says "
              + metadata.parametersSha256());
    }
    return new Checkpoint(metadata, parameters);
  }

  private static void write(ZipOutputStream zip, String name, byte[] content) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTime(0); // identical checkpoints give identical archives
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }
}
