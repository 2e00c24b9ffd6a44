package io.alfer.ml.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.alfer.ml.TestModels;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.NetworkModel;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.onnx.TensorShapeProto;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every preset's export is valid ONNX and ONNX Runtime reproduces DJL's inference outputs. */
class OnnxExportTest {
  private static final int SIZE = 16;
  private static final double TOLERANCE = 1e-4;

  static Stream<EncoderSpec> presets() {
    return EncoderSpec.presets().values().stream();
  }

  @ParameterizedTest
  @MethodSource("presets")
  void encoderExportMatchesDjl(EncoderSpec spec) throws OrtException {
    try (EncoderModel model = EncoderModel.create(spec, SIZE, SIZE, Normalization.SYMMETRIC, 3)) {
      TestModels.randomiseBatchNorm(model, 4);
      ModelProto onnx = OnnxExporter.encoder(model);
      assertThat(OnnxValidator.problems(onnx)).isEmpty();
      assertSymbolicBatch(onnx, 1);
      for (int batch : new int[] {1, 3}) {
        float[] input = randomInput(batch, 5 + batch);
        Map<String, float[]> ort = runOrt(onnx, input, batch);
        float[] djl = djl(model, input, batch).get(0).toFloatArray();
        assertThat(ort).containsOnlyKeys(OnnxExporter.EMBEDDING);
        assertClose(ort.get(OnnxExporter.EMBEDDING), djl);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("presets")
  void classifierExportMatchesDjl(EncoderSpec spec) throws OrtException {
    try (ClassifierModel model =
        ClassifierModel.fromScratch(spec, SIZE, SIZE, Normalization.SYMMETRIC, 7, 0.5f, 11)) {
      TestModels.randomiseBatchNorm(model, 6);
      ModelProto onnx = OnnxExporter.classifier(model);
      assertThat(OnnxValidator.problems(onnx)).isEmpty();
      assertSymbolicBatch(onnx, 2);
      float[] input = randomInput(4, 9);
      Map<String, float[]> ort = runOrt(onnx, input, 4);
      NDList djl = djl(model, input, 4);
      assertThat(ort).containsOnlyKeys(OnnxExporter.EMBEDDING, OnnxExporter.LOGITS);
      assertClose(ort.get(OnnxExporter.EMBEDDING), djl.get(0).toFloatArray());
      assertClose(ort.get(OnnxExporter.LOGITS), djl.get(1).toFloatArray());
      assertThat(ort.get(OnnxExporter.LOGITS)).hasSize(4 * 7);
    }
  }

  private static void assertSymbolicBatch(ModelProto onnx, int outputs) {
    assertThat(onnx.getGraph().getOutputCount()).isEqualTo(outputs);
    List<TensorShapeProto.Dimension> inputDims =
        onnx.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
    assertThat(inputDims.get(0).getDimParam()).isEqualTo("batch");
    assertThat(inputDims.subList(1, 4))
        .extracting(TensorShapeProto.Dimension::getDimValue)
        .containsExactly(1L, (long) SIZE, (long) SIZE);
  }

  private static float[] randomInput(int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] input = new float[batch * SIZE * SIZE];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextDouble(-1, 1);
    }
    return input;
  }

  private static NDList djl(NetworkModel<?> model, float[] input, int batch) {
    NDManager manager = model.manager();
    return model.infer(manager.create(input, new Shape(batch, 1, SIZE, SIZE)));
  }

  private static Map<String, float[]> runOrt(ModelProto onnx, float[] input, int batch)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx.toByteArray(), options);
          OnnxTensor tensor =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(input), new long[] {batch, 1, SIZE, SIZE});
          OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor))) {
        Map<String, float[]> outputs = new HashMap<>();
        result.forEach(
            entry -> {
              float[][] matrix = (float[][]) valueOf(entry.getValue());
              assertThat(matrix).hasNumberOfRows(batch);
              outputs.put(entry.getKey(), flatten(matrix));
            });
        return outputs;
      }
    }
  }

  private static Object valueOf(OnnxValue value) {
    try {
      return value.getValue();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  private static float[] flatten(float[][] matrix) {
    int columns = matrix[0].length;
    float[] flat = new float[matrix.length * columns];
    for (int i = 0; i < matrix.length; i++) {
      System.arraycopy(matrix[i], 0, flat, i * columns, columns);
    }
    return flat;
  }

  private static void assertClose(float[] ort, float[] djl) {
    assertThat(ort).hasSameSizeAs(djl);
    double max = 0;
    double magnitude = 0;
    for (int i = 0; i < ort.length; i++) {
      max = Math.max(max, Math.abs(ort[i] - djl[i]));
      magnitude = Math.max(magnitude, Math.abs(djl[i]));
    }
    assertThat(magnitude).as("outputs are not all zero").isGreaterThan(1e-2);
    assertThat(max).as("max |ORT - DJL|").isLessThanOrEqualTo(TOLERANCE);
  }
}
