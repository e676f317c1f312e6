package io.grokstream.analysis.forward;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.grokstream.analysis.math.Products;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Large matrix products on ONNX Runtime (its MLAS GEMM, float32, all cores) through a one-node {@code MatMul}
 * graph with symbolic dimensions, written here as ONNX protobuf bytes (onnx.proto3: ModelProto, GraphProto,
 * NodeProto, ValueInfoProto). Products below {@link #MIN_WORK} multiply-adds, or when the native library cannot
 * load, stay in Java. Float32 matches the precision snapshots are trained in.
 */
public final class OrtProducts implements Products, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OrtProducts.class);
    static final long MIN_WORK = 1_000_000L;

    private final OrtEnvironment env;
    private final OrtSession session;

    private OrtProducts(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    /** ORT products, or Java ones when ONNX Runtime is not available here. */
    public static Products create(int threads) {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            // No spin-waiting between products: the Java side shares the cores.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            return new OrtProducts(env, env.createSession(matMulModel(), options));
        } catch (OrtException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            LOG.warnf("ONNX Runtime unavailable (%s): matrix products run in Java", e.getMessage());
            return Products.JAVA;
        }
    }

    @Override
    public double[] multiply(double[] a, double[] b, int n, int k, int m) {
        if ((long) n * k * m < MIN_WORK) {
            return Products.JAVA.multiply(a, b, n, k, m);
        }
        Buffers buffers = BUFFERS.get();
        run(buffers.first.narrow(a), buffers.second.narrow(b), buffers.product, n, k, m);
        return buffers.product.widen(n * m);
    }

    /** float32 in and out: the operands copied into ORT's buffers in bulk, the product out of them, no conversion. */
    @Override
    public float[] multiply(float[] a, float[] b, int n, int k, int m) {
        if ((long) n * k * m < MIN_WORK) {
            return Products.super.multiply(a, b, n, k, m);
        }
        Buffers buffers = BUFFERS.get();
        run(buffers.first.fill(a), buffers.second.fill(b), buffers.product, n, k, m);
        float[] out = new float[n * m];
        buffers.product.room(n * m).get(out);
        return out;
    }

    @Override
    public boolean float32() {
        return true;
    }

    /**
     * {@code product = a b}: ORT writes the product into a direct buffer of ours (a pinned output), read from there
     * without the copy {@code getFloatBuffer()} makes.
     */
    private void run(FloatBuffer a, FloatBuffer b, Operand product, int n, int k, int m) {
        try (OnnxTensor ta = OnnxTensor.createTensor(env, a, new long[]{n, k});
             OnnxTensor tb = OnnxTensor.createTensor(env, b, new long[]{k, m});
             OnnxTensor tc = OnnxTensor.createTensor(env, product.room(n * m), new long[]{n, m});
             OrtSession.Result ignored = session.run(Map.of("a", ta, "b", tb), Map.of("c", tc))) {
            // the product is in the buffer
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime MatMul failed: " + e.getMessage(), e);
        }
    }

    /**
     * The operands' float32 copies live in direct buffers that ONNX Runtime reads in place. They are kept per thread
     * and reused (a tensor is closed before its buffer is refilled): allocating 26 MB of direct memory per product at
     * p = 113 cost more than the conversion, and direct memory is only freed by a GC.
     */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final Operand first = new Operand();
        final Operand second = new Operand();
        final Operand product = new Operand();
    }

    private static final class Operand {
        private final float[] stage = new float[8192];
        private FloatBuffer buffer = FloatBuffer.allocate(0);

        FloatBuffer narrow(double[] v) {
            room(v.length);
            for (int from = 0; from < v.length; from += stage.length) {
                int len = Math.min(stage.length, v.length - from);
                for (int i = 0; i < len; i++) {
                    stage[i] = (float) v[from + i];
                }
                buffer.put(stage, 0, len);
            }
            return buffer.flip();
        }

        FloatBuffer fill(float[] v) {
            return room(v.length).put(v).flip();
        }

        /** The buffer, at least {@code length} floats, cleared to {@code [0, length)}. */
        FloatBuffer room(int length) {
            if (buffer.capacity() < length) {
                buffer = ByteBuffer.allocateDirect(length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            buffer.clear();
            return buffer.limit(length);
        }

        /**
         * The buffer's first {@code length} floats as doubles: copied out in bulk a stage at a time, then widened in a
         * loop the JIT vectorises (reading ORT's result one {@code get(i)} at a time cost 10% of the suite).
         */
        double[] widen(int length) {
            double[] d = new double[length];
            buffer.position(0).limit(length);
            for (int from = 0; from < length; from += stage.length) {
                int len = Math.min(stage.length, length - from);
                buffer.get(stage, 0, len);
                for (int i = 0; i < len; i++) {
                    d[from + i] = stage[i];
                }
            }
            return d;
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.debugf("closing the MatMul session: %s", e.getMessage());
        }
    }

    /** {@code c = MatMul(a, b)}, a: float [n, k], b: float [k, m], opset 17, IR version 8. */
    static byte[] matMulModel() {
        Proto node = new Proto().string(1, "a").string(1, "b").string(2, "c").string(3, "matmul").string(4, "MatMul");
        Proto graph = new Proto().message(1, node).string(2, "grokstream_matmul")
                .message(11, valueInfo("a", "n", "k")).message(11, valueInfo("b", "k", "m"))
                .message(12, valueInfo("c", "n", "m"));
        Proto opset = new Proto().string(1, "").varint(2, 17);
        return new Proto().varint(1, 8).string(2, "grokstream").message(7, graph).message(8, opset).bytes();
    }

    private static Proto valueInfo(String name, String rows, String cols) {
        Proto shape = new Proto().message(1, new Proto().string(2, rows)).message(1, new Proto().string(2, cols));
        Proto tensor = new Proto().varint(1, 1 /* FLOAT */).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** The protobuf wire format, just enough of it: varint and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.bytes());
        }

        private Proto bytes(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
