package io.alfer.ml.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.ml.data.Normalization;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.proto.onnx.AttributeProto;
import io.alfer.proto.onnx.GraphProto;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.onnx.NodeProto;
import io.alfer.proto.onnx.TensorProto;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validator accepts the exporter's output and catches each kind of violation. */
class OnnxValidatorTest {
  private static ModelProto valid;

  @BeforeAll
  static void export() {
    try (ClassifierModel model =
        ClassifierModel.fromScratch(
            EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3, 0.5f, 1)) {
      valid = OnnxExporter.classifier(model);
    }
  }

  @Test
  void exportedModelIsValidAndUsesOnlyTheSubset() {
    assertThat(OnnxValidator.problems(valid)).isEmpty();
    assertThat(valid.getIrVersion()).isEqualTo(8);
    assertThat(valid.getOpsetImport(0).getDomain()).isEmpty();
    assertThat(valid.getOpsetImport(0).getVersion()).isEqualTo(13);
    assertThat(valid.getGraph().getNodeList())
        .extracting(NodeProto::getOpType)
        .containsOnly(
            "Conv", "BatchNormalization", "Relu", "Add", "GlobalAveragePool", "Flatten", "Gemm");
  }

  @Test
  void detectsUnsortedGraph() {
    GraphProto.Builder graph = valid.getGraph().toBuilder();
    NodeProto first = graph.getNode(0);
    graph.setNode(0, graph.getNode(1)).setNode(1, first);
    assertThat(problems(graph)).anyMatch(p -> p.contains("not defined before the node"));
  }

  @Test
  void detectsAttributeOfWrongType() {
    GraphProto.Builder graph = valid.getGraph().toBuilder();
    NodeProto.Builder conv = graph.getNodeBuilder(0);
    int group = indexOf(conv, "group");
    conv.setAttribute(
        group,
        AttributeProto.newBuilder()
            .setName("group")
            .setType(AttributeProto.AttributeType.FLOAT)
            .setF(1f));
    assertThat(problems(graph)).anyMatch(p -> p.contains("'group' must have type INT"));
  }

  @Test
  void detectsUnknownAttributeAndTypeFieldMismatch() {
    GraphProto.Builder graph = valid.getGraph().toBuilder();
    graph
        .getNodeBuilder(0)
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("spatial")
                .setType(AttributeProto.AttributeType.INT)
                .setI(1));
    NodeProto.Builder bn = graph.getNodeBuilder(1);
    bn.setAttribute(
        0,
        AttributeProto.newBuilder()
            .setName("epsilon")
            .setType(AttributeProto.AttributeType.FLOAT)
            .setI(1));
    assertThat(problems(graph))
        .anyMatch(p -> p.contains("unknown attribute 'spatial'"))
        .anyMatch(p -> p.contains("'epsilon' does not hold exactly one FLOAT"));
  }

  @Test
  void detectsDisallowedElementTypeAndBadInitializer() {
    GraphProto.Builder graph = valid.getGraph().toBuilder();
    TensorProto.Builder weight = graph.getInitializerBuilder(0);
    weight.setDataType(TensorProto.DataType.INT64_VALUE);
    assertThat(problems(graph))
        .anyMatch(p -> p.contains("inputs mix FLOAT and INT64"))
        .anyMatch(p -> p.contains("bytes, its shape needs"));
  }

  @Test
  void detectsWrongOpsetMissingBatchDimensionAndWrongArity() {
    ModelProto.Builder model = valid.toBuilder();
    model.getOpsetImportBuilder(0).setVersion(11);
    model
        .getGraphBuilder()
        .getInputBuilder(0)
        .getTypeBuilder()
        .getTensorTypeBuilder()
        .getShapeBuilder()
        .getDimBuilder(0)
        .setDimValue(1);
    model.getGraphBuilder().getNodeBuilder(2).addInput("image");
    assertThat(OnnxValidator.problems(model.build()))
        .anyMatch(p -> p.contains("opset is 11"))
        .anyMatch(p -> p.contains("symbolic dimension 'batch'"))
        .anyMatch(p -> p.contains("2 inputs, schema allows 1..1"));
    assertThatThrownBy(() -> OnnxValidator.requireValid(model.build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("invalid ONNX model");
  }

  private static List<String> problems(GraphProto.Builder graph) {
    return OnnxValidator.problems(valid.toBuilder().setGraph(graph).build());
  }

  private static int indexOf(NodeProto.Builder node, String attribute) {
    for (int i = 0; i < node.getAttributeCount(); i++) {
      if (node.getAttribute(i).getName().equals(attribute)) {
        return i;
      }
    }
    throw new AssertionError("no attribute " + attribute);
  }
}
