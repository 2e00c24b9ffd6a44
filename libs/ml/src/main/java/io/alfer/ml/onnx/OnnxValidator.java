package io.alfer.ml.onnx;

import io.alfer.proto.onnx.AttributeProto;
import io.alfer.proto.onnx.AttributeProto.AttributeType;
import io.alfer.proto.onnx.GraphProto;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.onnx.NodeProto;
import io.alfer.proto.onnx.OperatorSetIdProto;
import io.alfer.proto.onnx.TensorProto;
import io.alfer.proto.onnx.TensorProto.DataType;
import io.alfer.proto.onnx.TensorShapeProto;
import io.alfer.proto.onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a model against the ONNX specification for the operator subset alfer exports (see {@link
 * OperatorSchema}): IR version and opset import, a topologically sorted graph in single-assignment
 * form, every input defined, input and output counts, attribute names and types, element types
 * allowed by each operator's type constraint, well-formed initializers, and alfer's contract of a
 * symbolic {@value OnnxExporter#BATCH_DIMENSION} dimension on every graph input and output.
 */
public final class OnnxValidator {
  private static final long MIN_IR_VERSION = 7; // opset 13 needs IR version 7 or later
  private static final long MAX_IR_VERSION = 10;

  private final List<String> problems = new ArrayList<>();
  private final Map<String, DataType> types = new HashMap<>();
  private final Map<String, TensorProto> initializers = new HashMap<>();

  private OnnxValidator() {}

  /** Every problem found; empty when the model is valid. */
  public static List<String> problems(ModelProto model) {
    OnnxValidator validator = new OnnxValidator();
    validator.check(model);
    return List.copyOf(validator.problems);
  }

  /** Throws {@link IllegalStateException} listing the problems unless the model is valid. */
  public static void requireValid(ModelProto model) {
    List<String> found = problems(model);
    if (!found.isEmpty()) {
      throw new IllegalStateException("invalid ONNX model: " + String.join("; ", found));
    }
  }

  private void check(ModelProto model) {
    if (model.getIrVersion() < MIN_IR_VERSION || model.getIrVersion() > MAX_IR_VERSION) {
      problems.add(
          "ir_version " + model.getIrVersion() + " cannot carry opset " + OnnxExporter.OPSET);
    }
    checkOpsets(model.getOpsetImportList());
    if (!model.hasGraph()) {
      problems.add("model has no graph");
      return;
    }
    GraphProto graph = model.getGraph();
    for (ValueInfoProto input : graph.getInputList()) {
      define(input.getName(), declaredType(input), "graph input");
      requireBatchDimension(input);
    }
    for (TensorProto initializer : graph.getInitializerList()) {
      checkInitializer(initializer);
    }
    for (int i = 0; i < graph.getNodeCount(); i++) {
      checkNode(i, graph.getNode(i));
    }
    for (ValueInfoProto output : graph.getOutputList()) {
      DataType produced = types.get(output.getName());
      if (produced == null) {
        problems.add("graph output '" + output.getName() + "' is never produced");
      } else if (produced != declaredType(output)) {
        problems.add(
            "graph output '"
                + output.getName()
                + "' is "
                + produced
                + " but declared "
                + declaredType(output));
      }
      requireBatchDimension(output);
    }
  }

  private void checkOpsets(List<OperatorSetIdProto> opsets) {
    boolean found = false;
    for (OperatorSetIdProto opset : opsets) {
      if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
        if (opset.getVersion() != OnnxExporter.OPSET) {
          problems.add(
              "default-domain opset is " + opset.getVersion() + ", expected " + OnnxExporter.OPSET);
        }
        found = true;
      }
    }
    if (!found) {
      problems.add("no opset_import for the default domain \"\"");
    }
  }

  private void checkInitializer(TensorProto tensor) {
    DataType type = DataType.forNumber(tensor.getDataType());
    if (type == null || type == DataType.UNDEFINED) {
      problems.add("initializer '" + tensor.getName() + "' has no valid data_type");
      return;
    }
    long elements = 1;
    for (long dim : tensor.getDimsList()) {
      if (dim < 0) {
        problems.add("initializer '" + tensor.getName() + "' has negative dimension " + dim);
      }
      elements *= dim;
    }
    int width = byteWidth(type);
    if (tensor.hasRawData() && width > 0 && tensor.getRawData().size() != elements * width) {
      problems.add(
          "initializer '"
              + tensor.getName()
              + "' holds "
              + tensor.getRawData().size()
              + " bytes, its shape needs "
              + elements * width);
    }
    if (!tensor.hasRawData() && type == DataType.FLOAT && tensor.getFloatDataCount() != elements) {
      problems.add("initializer '" + tensor.getName() + "' has the wrong number of floats");
    }
    initializers.put(tensor.getName(), tensor);
    define(tensor.getName(), type, "initializer");
  }

  private void checkNode(int index, NodeProto node) {
    String where = "node " + index + " (" + node.getOpType() + " '" + node.getName() + "')";
    if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
      problems.add(where + ": domain '" + node.getDomain() + "' is not imported");
      return;
    }
    OperatorSchema schema = OperatorSchema.OPSET_13.get(node.getOpType());
    if (schema == null) {
      problems.add(where + ": operator outside the supported subset");
      return;
    }
    int inputs = node.getInputCount();
    if (inputs < schema.minInputs() || inputs > schema.maxInputs()) {
      problems.add(
          where
              + ": "
              + inputs
              + " inputs, schema allows "
              + schema.minInputs()
              + ".."
              + schema.maxInputs());
    }
    int outputs = node.getOutputCount();
    if (outputs < schema.minOutputs() || outputs > schema.maxOutputs()) {
      problems.add(
          where
              + ": "
              + outputs
              + " outputs, schema allows "
              + schema.minOutputs()
              + ".."
              + schema.maxOutputs());
    }
    DataType t = null;
    for (int i = 0; i < inputs; i++) {
      String input = node.getInput(i);
      if (input.isEmpty() && i >= schema.minInputs()) {
        continue; // an omitted optional input
      }
      DataType type = types.get(input);
      if (type == null) {
        problems.add(
            where
                + ": input '"
                + input
                + "' is not defined before the node (graph not topologically sorted or dangling)");
        continue;
      }
      if (t == null) {
        t = type;
      } else if (t != type) {
        problems.add(where + ": inputs mix " + t + " and " + type + " for type variable T");
      }
    }
    if (t != null && !schema.types().contains(t)) {
      problems.add(
          where + ": element type " + t + " is not allowed, T must be one of " + schema.types());
    }
    Set<String> seen = new HashSet<>();
    for (AttributeProto attribute : node.getAttributeList()) {
      checkAttribute(where, schema, attribute);
      if (!seen.add(attribute.getName())) {
        problems.add(where + ": attribute '" + attribute.getName() + "' given twice");
      }
    }
    if (node.getOpType().equals("Conv")) {
      checkConv(where, node);
    }
    for (String output : node.getOutputList()) {
      if (!output.isEmpty()) {
        define(output, t, where + " output");
      }
    }
  }

  private void checkAttribute(String where, OperatorSchema schema, AttributeProto attribute) {
    AttributeType expected = schema.attributes().get(attribute.getName());
    if (expected == null) {
      problems.add(where + ": unknown attribute '" + attribute.getName() + "'");
      return;
    }
    if (!attribute.hasType() || attribute.getType() != expected) {
      problems.add(
          where
              + ": attribute '"
              + attribute.getName()
              + "' must have type "
              + expected
              + ", has "
              + attribute.getType());
      return;
    }
    boolean valueMatchesType =
        switch (expected) {
          case FLOAT -> attribute.hasF() && !attribute.hasI() && !attribute.hasS();
          case INT -> attribute.hasI() && !attribute.hasF() && !attribute.hasS();
          case STRING -> attribute.hasS() && !attribute.hasF() && !attribute.hasI();
          case INTS -> !attribute.hasF() && !attribute.hasI() && attribute.getFloatsCount() == 0;
          case FLOATS -> !attribute.hasF() && !attribute.hasI() && attribute.getIntsCount() == 0;
          default -> true;
        };
    if (!valueMatchesType) {
      problems.add(
          where
              + ": attribute '"
              + attribute.getName()
              + "' does not hold exactly one "
              + expected
              + " value");
    }
  }

  private void checkConv(String where, NodeProto node) {
    TensorProto weight = initializers.get(node.getInputCount() > 1 ? node.getInput(1) : "");
    if (weight == null) {
      return;
    }
    int spatial = weight.getDimsCount() - 2;
    for (AttributeProto attribute : node.getAttributeList()) {
      int expected =
          switch (attribute.getName()) {
            case "kernel_shape", "strides", "dilations" -> spatial;
            case "pads" -> 2 * spatial;
            default -> -1;
          };
      if (expected >= 0 && attribute.getIntsCount() != expected) {
        problems.add(
            where
                + ": '"
                + attribute.getName()
                + "' needs "
                + expected
                + " values, has "
                + attribute.getIntsCount());
      }
      if (attribute.getName().equals("kernel_shape")) {
        for (int i = 0; i < Math.min(spatial, attribute.getIntsCount()); i++) {
          if (attribute.getInts(i) != weight.getDims(i + 2)) {
            problems.add(
                where
                    + ": kernel_shape "
                    + attribute.getIntsList()
                    + " disagrees with weight dims "
                    + weight.getDimsList());
            break;
          }
        }
      }
    }
  }

  private void define(String name, DataType type, String what) {
    if (name.isEmpty()) {
      problems.add(what + " has an empty name");
    } else if (types.containsKey(name)) {
      problems.add(what + " redefines '" + name + "' (values must be assigned once)");
    }
    types.put(name, type);
  }

  private DataType declaredType(ValueInfoProto value) {
    if (!value.hasType() || !value.getType().hasTensorType()) {
      problems.add("value '" + value.getName() + "' has no tensor type");
      return null;
    }
    DataType type = DataType.forNumber(value.getType().getTensorType().getElemType());
    if (type == null || type == DataType.UNDEFINED) {
      problems.add("value '" + value.getName() + "' has no valid element type");
    }
    return type;
  }

  private void requireBatchDimension(ValueInfoProto value) {
    TensorShapeProto shape = value.getType().getTensorType().getShape();
    if (shape.getDimCount() == 0
        || !OnnxExporter.BATCH_DIMENSION.equals(shape.getDim(0).getDimParam())) {
      problems.add(
          "value '"
              + value.getName()
              + "' must start with the symbolic dimension '"
              + OnnxExporter.BATCH_DIMENSION
              + "'");
    }
  }

  private static int byteWidth(DataType type) {
    return switch (type) {
      case FLOAT, INT32, UINT32 -> 4;
      case DOUBLE, INT64, UINT64 -> 8;
      case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
      case INT8, UINT8, BOOL -> 1;
      default -> 0;
    };
  }
}
