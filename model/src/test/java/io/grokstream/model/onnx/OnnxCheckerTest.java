package io.grokstream.model.onnx;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.reference.RandomWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the reference ONNX checker ({@code onnx.checker.check_model(full_check=True)} plus strict shape inference)
 * over exported variants, because ONNX Runtime accepts some models the standard rejects and other consumers
 * (onnx2torch, onnx.js) are stricter. Needs Python's {@code onnx} package (Debian: {@code python3-onnx}); the test
 * is skipped where it is missing, and fails on any checker error where it is present.
 */
class OnnxCheckerTest {

    private static final String CHECK = String.join("\n",
            "import sys, onnx",
            "from onnx import checker, shape_inference",
            "for f in sys.argv[1:]:",
            "    m = onnx.load(f)",
            "    checker.check_model(m, full_check=True)",
            "    shape_inference.infer_shapes(m, check_type=True, strict_mode=True)",
            "print('checked', len(sys.argv) - 1)");

    @Test
    void everyVariantPassesTheOnnxChecker(@TempDir Path dir) throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        assumeTrue(run(dir, python, "-c", "import onnx") == 0, "Python's onnx package is not installed");
        List<OutputGroup> three = List.of(new OutputGroup("q2", 2), new OutputGroup("q3", 3), new OutputGroup("q5", 5));
        List<ModelConfig> configs = List.of(
                ModelConfig.nanda(11),
                new ModelConfig(2, 12, 3, 4, 24, 8, 3, three, false, false, true, true, "float32"),
                new ModelConfig(2, 8, 2, 4, 16, 6, 4, ModelConfig.nanda(5).outputs(), true, false, false, false, "float32"),
                new ModelConfig(3, 8, 2, 4, 16, 6, 3, three, false, true, true, true, "float64"));
        List<String> command = new java.util.ArrayList<>(List.of(python, "-c", CHECK));
        int i = 0;
        for (ModelConfig c : configs) {
            for (boolean activations : new boolean[]{false, true}) {
                Path f = dir.resolve("model-" + i++ + ".onnx");
                Files.write(f, OnnxExporter.export(c, RandomWeights.of(c, i),
                        OnnxExportOptions.of("exp", 1, "hash", "test").withActivations(activations)));
                command.add(f.toString());
            }
        }
        assertEquals(0, run(dir, command.toArray(String[]::new)), "onnx checker output: " + Files.readString(dir.resolve("out.txt")));
    }

    private static int run(Path dir, String... command) throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
