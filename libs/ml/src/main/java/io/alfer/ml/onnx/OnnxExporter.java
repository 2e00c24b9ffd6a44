package io.alfer.ml.onnx;

import ai.djl.nn.Parameter;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.ConvBn;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderNetwork;
import io.alfer.ml.model.NetworkModel;
import io.alfer.ml.model.ResidualBlock;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.onnx.OperatorSetIdProto;
import io.alfer.proto.onnx.StringStringEntryProto;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes encoders and classifiers as ONNX models (IR version 8, opset 13) by walking alfer's own
 * network definition. Input {@value #INPUT} (batch, 1, H, W), normalised as the model's {@link
 * io.alfer.ml.data.Normalization} says; outputs {@value #EMBEDDING} (batch, D) and, for
 * classifiers, {@value #LOGITS} (batch, classes). The batch dimension is symbolic. Batch norm is
 * exported in inference mode (running statistics); dropout, the identity at inference, is left out.
 * Operators: Conv, BatchNormalization, Relu, Add, GlobalAveragePool, Flatten, Gemm.
 */
public final class OnnxExporter {
  public static final long IR_VERSION = 8;
  public static final long OPSET = 13;
  public static final String INPUT = "image";
  public static final String EMBEDDING = "embedding";
  public static final String LOGITS = "logits";
  public static final String BATCH_DIMENSION = "batch";
  private static final long BATCH = -1;

  private OnnxExporter() {}

  /** The encoder as an ONNX model with output {@value #EMBEDDING}. */
  public static ModelProto encoder(EncoderModel model) {
    GraphWriter graph = new GraphWriter(model.spec().name() + "_encoder");
    declareInput(graph, model);
    String embedding = encoderNodes(graph, model.network(), EMBEDDING);
    graph.output(embedding, BATCH, model.spec().embeddingSize());
    return modelProto(graph, model, model.spec().name(), Map.of("alfer.kind", "encoder"));
  }

  /** The classifier as an ONNX model with outputs {@value #EMBEDDING} and {@value #LOGITS}. */
  public static ModelProto classifier(ClassifierModel model) {
    GraphWriter graph = new GraphWriter(model.spec().name() + "_classifier");
    declareInput(graph, model);
    String embedding = encoderNodes(graph, model.network().encoder(), EMBEDDING);
    String weight = graph.initializer("head.weight", model.network().headWeight().getArray());
    String bias = graph.initializer("head.bias", model.network().headBias().getArray());
    graph.node(
        "Gemm",
        LOGITS,
        new String[] {embedding, weight, bias},
        GraphWriter.real("alpha", 1f),
        GraphWriter.real("beta", 1f),
        GraphWriter.integer("transA", 0),
        GraphWriter.integer("transB", 1));
    graph.output(embedding, BATCH, model.spec().embeddingSize());
    graph.output(LOGITS, BATCH, model.classes());
    return modelProto(
        graph,
        model,
        model.spec().name(),
        Map.of("alfer.kind", "classifier", "alfer.classes", Integer.toString(model.classes())));
  }

  private static void declareInput(GraphWriter graph, NetworkModel<?> model) {
    graph.input(INPUT, BATCH, 1, model.height(), model.width());
  }

  private static String encoderNodes(GraphWriter graph, EncoderNetwork encoder, String output) {
    String x = convBn(graph, "stem", encoder.stem(), INPUT);
    List<ResidualBlock> blocks = encoder.residualBlocks();
    for (int i = 0; i < blocks.size(); i++) {
      x = residual(graph, "block" + i, blocks.get(i), x);
    }
    String pooled = graph.node("GlobalAveragePool", "pooled", new String[] {x});
    return graph.node("Flatten", output, new String[] {pooled}, GraphWriter.integer("axis", 1));
  }

  private static String residual(GraphWriter graph, String name, ResidualBlock block, String x) {
    String inner = convBn(graph, name + ".conv1", block.first(), x);
    inner = convBn(graph, name + ".conv2", block.second(), inner);
    String identity =
        block.shortcut().isPresent()
            ? convBn(graph, name + ".shortcut", block.shortcut().get(), x)
            : x;
    String sum = graph.node("Add", name + ".add", new String[] {inner, identity});
    return graph.node("Relu", name + ".out", new String[] {sum});
  }

  private static String convBn(GraphWriter graph, String name, ConvBn layer, String x) {
    String weight = graph.initializer(name + ".weight", layer.convWeight().getArray());
    long k = layer.kernel();
    long s = layer.stride();
    long p = layer.padding();
    String conv =
        graph.node(
            "Conv",
            name + ".conv",
            new String[] {x, weight},
            GraphWriter.ints("kernel_shape", k, k),
            GraphWriter.ints("strides", s, s),
            GraphWriter.ints("pads", p, p, p, p),
            GraphWriter.ints("dilations", 1, 1),
            GraphWriter.integer("group", 1));
    String normed =
        graph.node(
            "BatchNormalization",
            name + ".bn",
            new String[] {
              conv,
              bnInitializer(graph, name, layer, Parameter.Type.GAMMA),
              bnInitializer(graph, name, layer, Parameter.Type.BETA),
              bnInitializer(graph, name, layer, Parameter.Type.RUNNING_MEAN),
              bnInitializer(graph, name, layer, Parameter.Type.RUNNING_VAR)
            },
            GraphWriter.real("epsilon", ConvBn.BN_EPSILON));
    return layer.hasRelu() ? graph.node("Relu", name + ".relu", new String[] {normed}) : normed;
  }

  private static String bnInitializer(
      GraphWriter graph, String name, ConvBn layer, Parameter.Type type) {
    return graph.initializer(
        name + ".bn." + type.name().toLowerCase(Locale.ROOT), layer.normParameter(type).getArray());
  }

  private static ModelProto modelProto(
      GraphWriter graph, NetworkModel<?> model, String architecture, Map<String, String> extra) {
    ModelProto.Builder proto =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setProducerName("alfer")
            .setProducerVersion("1")
            .setGraph(graph.build());
    metadata(proto, "alfer.architecture", architecture);
    metadata(proto, "alfer.normalization.mean", Float.toString(model.normalization().mean()));
    metadata(proto, "alfer.normalization.std", Float.toString(model.normalization().std()));
    extra.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> metadata(proto, e.getKey(), e.getValue()));
    ModelProto exported = proto.build();
    OnnxValidator.requireValid(exported);
    return exported;
  }

  private static void metadata(ModelProto.Builder proto, String key, String value) {
    proto.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }
}
