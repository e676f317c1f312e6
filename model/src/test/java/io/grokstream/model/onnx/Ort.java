package io.grokstream.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an exported model in ONNX Runtime and copies every output out as a flat float array (test helper). */
final class Ort {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private Ort() {
    }

    static OrtSession session(byte[] model) throws OrtException {
        return ENV.createSession(model, new OrtSession.SessionOptions());
    }

    /** Every token sequence of length {@code seq} over {@code vocab} ids, in lexicographic order. */
    static int[][] allInputs(int vocab, int seq) {
        int n = (int) Math.pow(vocab, seq);
        int[][] rows = new int[n][seq];
        for (int r = 0; r < n; r++) {
            int v = r;
            for (int s = seq - 1; s >= 0; s--) {
                rows[r][s] = v % vocab;
                v /= vocab;
            }
        }
        return rows;
    }

    static Map<String, float[]> run(OrtSession session, int[][] tokens) throws OrtException {
        int seq = tokens[0].length;
        long[] flat = new long[tokens.length * seq];
        for (int b = 0; b < tokens.length; b++) {
            for (int s = 0; s < seq; s++) {
                flat[b * seq + s] = tokens[b][s];
            }
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OnnxTensor in = OnnxTensor.createTensor(ENV, LongBuffer.wrap(flat), new long[]{tokens.length, seq});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, in))) {
            for (Map.Entry<String, OnnxValue> e : result) {
                FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] values = new float[fb.remaining()];
                fb.get(values);
                out.put(e.getKey(), values);
            }
        }
        return out;
    }
}
