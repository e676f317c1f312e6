package io.grokstream.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A thin layer over the generated ONNX protobuf builders: nodes with unique names, initializers from raw
 * little-endian bytes, typed graph inputs and outputs. Keeps {@link OnnxExporter} about the network, not protobuf.
 */
final class GraphBuilder {

    /** A symbolic dimension (e.g. the dynamic batch) or a fixed one; exactly one of the two is set. */
    record Dim(String param, long value) {
        static Dim of(String param) {
            return new Dim(param, -1);
        }

        static Dim of(long value) {
            return new Dim(null, value);
        }
    }

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int counter;

    GraphBuilder(String name) {
        graph.setName(name);
    }

    /** Adds a node; returns its first output's name. Attributes come as name/value pairs (Long, long[], Float). */
    String node(String op, String[] inputs, String[] outputs, Object... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + counter++);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        for (int a = 0; a < attributes.length; a += 2) {
            n.addAttribute(attribute((String) attributes[a], attributes[a + 1]));
        }
        graph.addNode(n);
        return outputs[0];
    }

    /** A node with one output. */
    String node(String op, String output, String[] inputs, Object... attributes) {
        return node(op, inputs, new String[]{output}, attributes);
    }

    /** A fresh value name with a readable prefix. */
    String fresh(String prefix) {
        return prefix + "__" + counter++;
    }

    void floatInitializer(String name, long[] dims, byte[] littleEndianFloats) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(littleEndianFloats));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
    }

    String floatConstant(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        floatInitializer(name, dims, b.array());
        return name;
    }

    String int64Constant(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    void input(String name, int elemType, Dim... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
    }

    void output(String name, int elemType, Dim... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    OnnxMl.GraphProto.Builder proto() {
        return graph;
    }

    private static ValueInfoProto valueInfo(String name, int elemType, Dim... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d.param() != null) {
                dim.setDimParam(d.param());
            } else {
                dim.setDimValue(d.value());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long l) {
            a.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (value instanceof Integer i) {
            a.setType(AttributeProto.AttributeType.INT).setI(i);
        } else if (value instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (value instanceof long[] ints) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long v : ints) {
                a.addInts(v);
            }
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + " = " + value);
        }
        return a.build();
    }
}
