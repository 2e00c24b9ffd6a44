package io.alfer.ml.onnx;

import ai.djl.ndarray.NDArray;
import com.google.protobuf.ByteString;
import io.alfer.proto.onnx.AttributeProto;
import io.alfer.proto.onnx.GraphProto;
import io.alfer.proto.onnx.NodeProto;
import io.alfer.proto.onnx.TensorProto;
import io.alfer.proto.onnx.TensorShapeProto;
import io.alfer.proto.onnx.TypeProto;
import io.alfer.proto.onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Appends nodes and float initializers to an ONNX graph, naming each value uniquely. */
final class GraphWriter {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int nodes;

  GraphWriter(String name) {
    graph.setName(name);
  }

  /** Adds a float32 initializer with the array's shape and values; returns its name. */
  String initializer(String name, NDArray array) {
    float[] values = array.toFloatArray();
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(raw.array()));
    for (long dim : array.getShape().getShape()) {
      tensor.addDims(dim);
    }
    graph.addInitializer(tensor);
    return name;
  }

  /** Adds a node of the default (ai.onnx) domain; returns the name of its single output. */
  String node(String opType, String output, String[] inputs, AttributeProto... attributes) {
    NodeProto.Builder node =
        NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + nodes++).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    for (AttributeProto attribute : attributes) {
      node.addAttribute(attribute);
    }
    graph.addNode(node);
    return output;
  }

  void input(String name, long... dims) {
    graph.addInput(floatValue(name, dims));
  }

  void output(String name, long... dims) {
    graph.addOutput(floatValue(name, dims));
  }

  GraphProto build() {
    return graph.build();
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      attribute.addInts(v);
    }
    return attribute.build();
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  /** A float tensor value; a dimension of -1 is the symbolic batch dimension. */
  private static ValueInfoProto floatValue(String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(
          dim < 0
              ? TensorShapeProto.Dimension.newBuilder().setDimParam(OnnxExporter.BATCH_DIMENSION)
              : TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }
}
