package io.grokstream.kafka;

import io.grokstream.contracts.TopicInitializer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs Apache Kafka itself, single node in KRaft mode, for local runs: formats the data directory on first
 * run, starts {@code kafka.Kafka}, enables share groups ({@link ShareFeature}), creates grokstream's topics and prints the bootstrap address. Ctrl-C (or
 * SIGTERM) runs Kafka's own shutdown hook, which flushes the logs: no half-written data.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        BrokerSettings settings = BrokerSettings.fromEnvironment();
        Files.createDirectories(settings.dataDir());
        Path config = settings.dataDir().resolveSibling("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            settings.serverProperties().store(out, "grokstream single-node KRaft broker (generated)");
        }
        if (!Files.exists(settings.dataDir().resolve("meta.properties"))) {
            format(config);
        }
        Thread topics = new Thread(() -> {
            ShareFeature.ensure(settings.bootstrapServers());
            TopicInitializer.ensureTopics(settings.bootstrapServers());
            System.out.println("grokstream kafka ready: bootstrap " + settings.bootstrapServers()
                    + ", data " + settings.dataDir());
        }, "topic-initializer");
        topics.setDaemon(true);
        topics.start();
        kafka.Kafka.main(new String[]{config.toString()});
    }

    /** {@code kafka-storage.sh format} with a fresh cluster id; StorageTool exits through {@link Exit}. */
    private static void format(Path config) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        int[] code = {-1};
        Exit.setExitProcedure((status, message) -> {
            code[0] = status;
            throw new FormatDone();
        });
        try {
            kafka.tools.StorageTool.main(new String[]{"format", "-t", clusterId, "-c", config.toString()});
            code[0] = 0;
        } catch (FormatDone ignored) {
            // StorageTool called Exit.exit: the status is in code[0]
        } finally {
            Exit.resetExitProcedure();
        }
        if (code[0] != 0) {
            throw new IOException("formatting the Kafka data directory failed with status " + code[0]);
        }
        System.out.println("grokstream kafka: formatted new cluster " + clusterId);
    }

    private static final class FormatDone extends RuntimeException {
        FormatDone() {
            super(null, null, false, false);
        }
    }
}
