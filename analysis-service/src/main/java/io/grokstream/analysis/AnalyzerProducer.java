package io.grokstream.analysis;

import io.grokstream.analysis.forward.ActivationSource;
import io.grokstream.analysis.forward.JavaForward;
import io.grokstream.analysis.forward.OnnxActivations;
import io.grokstream.analysis.forward.OrtProducts;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.analysis.math.Products;
import io.grokstream.analysis.measure.SnapshotAnalyzer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Builds the measure suite from the configuration: the activation source, the key-frequency rule, and who computes the large products. */
@ApplicationScoped
public class AnalyzerProducer {

    @Produces
    @ApplicationScoped
    SnapshotAnalyzer analyzer(AnalysisConfig config) {
        NeuronFrequencies.Rule rule = new NeuronFrequencies.Rule(config.explainedThreshold(), config.minClusterShare(),
                config.minClusterNeurons(), config.omegaNeuronShare());
        Products products = config.onnxRuntimeProducts()
                ? OrtProducts.create(Runtime.getRuntime().availableProcessors()) : Products.JAVA;
        ActivationSource source = switch (config.activations()) {
            case "tables" -> new JavaForward(products);
            case "onnx" -> new OnnxActivations(Runtime.getRuntime().availableProcessors());
            default -> throw new IllegalArgumentException("grokstream.analysis.activations must be tables or onnx, got "
                    + config.activations());
        };
        return new SnapshotAnalyzer(source, rule, products, config.measureThreads());
    }

    void close(@Disposes SnapshotAnalyzer analyzer) {
        analyzer.close();
    }
}
