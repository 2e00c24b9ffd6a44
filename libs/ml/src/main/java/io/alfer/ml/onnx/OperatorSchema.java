package io.alfer.ml.onnx;

import io.alfer.proto.onnx.AttributeProto.AttributeType;
import io.alfer.proto.onnx.TensorProto.DataType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX operator schemas (as of opset 13, domain ai.onnx) of the operators the exporter uses:
 * how many inputs and outputs, which element types the type variable T admits, and which attributes
 * exist with which type. Every input and output of these operators is of type T.
 *
 * @param opType operator name
 * @param sinceVersion the operator version that opset 13 resolves to
 * @param minInputs required inputs
 * @param maxInputs required plus optional inputs
 * @param minOutputs required outputs
 * @param maxOutputs required plus optional outputs
 * @param types the element types T admits
 * @param attributes attribute name to type; none of these operators has a required attribute
 */
public record OperatorSchema(
    String opType,
    int sinceVersion,
    int minInputs,
    int maxInputs,
    int minOutputs,
    int maxOutputs,
    Set<DataType> types,
    Map<String, AttributeType> attributes) {

  private static final Set<DataType> FLOATS =
      EnumSet.of(DataType.FLOAT16, DataType.FLOAT, DataType.DOUBLE);

  /** The schemas, by operator name. */
  public static final Map<String, OperatorSchema> OPSET_13 =
      Map.of(
          "Conv",
          new OperatorSchema(
              "Conv",
              11,
              2,
              3,
              1,
              1,
              FLOATS,
              Map.of(
                  "auto_pad", AttributeType.STRING,
                  "dilations", AttributeType.INTS,
                  "group", AttributeType.INT,
                  "kernel_shape", AttributeType.INTS,
                  "pads", AttributeType.INTS,
                  "strides", AttributeType.INTS)),
          "BatchNormalization",
          new OperatorSchema(
              "BatchNormalization",
              9,
              5,
              5,
              1,
              5,
              FLOATS,
              Map.of("epsilon", AttributeType.FLOAT, "momentum", AttributeType.FLOAT)),
          "Relu",
          new OperatorSchema(
              "Relu",
              13,
              1,
              1,
              1,
              1,
              EnumSet.of(DataType.FLOAT16, DataType.FLOAT, DataType.DOUBLE, DataType.BFLOAT16),
              Map.of()),
          "Add",
          new OperatorSchema(
              "Add",
              13,
              2,
              2,
              1,
              1,
              EnumSet.of(
                  DataType.UINT32,
                  DataType.UINT64,
                  DataType.INT32,
                  DataType.INT64,
                  DataType.FLOAT16,
                  DataType.FLOAT,
                  DataType.DOUBLE,
                  DataType.BFLOAT16),
              Map.of()),
          "GlobalAveragePool",
          new OperatorSchema("GlobalAveragePool", 1, 1, 1, 1, 1, FLOATS, Map.of()),
          "Flatten",
          new OperatorSchema(
              "Flatten",
              13,
              1,
              1,
              1,
              1,
              EnumSet.complementOf(EnumSet.of(DataType.UNDEFINED)),
              Map.of("axis", AttributeType.INT)),
          "Gemm",
          new OperatorSchema(
              "Gemm",
              13,
              2,
              3,
              1,
              1,
              EnumSet.of(
                  DataType.FLOAT16,
                  DataType.FLOAT,
                  DataType.DOUBLE,
                  DataType.UINT32,
                  DataType.UINT64,
                  DataType.INT32,
                  DataType.INT64,
                  DataType.BFLOAT16),
              Map.of(
                  "alpha", AttributeType.FLOAT,
                  "beta", AttributeType.FLOAT,
                  "transA", AttributeType.INT,
                  "transB", AttributeType.INT)));
}
