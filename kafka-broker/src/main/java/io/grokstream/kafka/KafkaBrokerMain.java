package io.grokstream.kafka;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Runs Apache Kafka itself, single node in KRaft mode, for local runs: formats the data directory on first
 * run, starts {@code kafka.Kafka} secured ({@link BrokerSettings}) with the passwords of the credentials directory,
 * provisions it ({@link Provisioner}: share groups, topics, SCRAM users, ACLs) and prints the bootstrap address. Ctrl-C (or
 * SIGTERM) runs Kafka's own shutdown hook, which flushes the logs: no half-written data.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        KafkaCredentials credentials = KafkaCredentials.load(ProvisionMain.credentialsDirectory());
        BrokerSettings settings = BrokerSettings.fromEnvironment(credentials);
        Files.createDirectories(settings.dataDir());
        Path config = settings.dataDir().resolveSibling("server.properties");
        Files.deleteIfExists(config);
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(config)) {   // it holds the broker's password: owner only
            settings.serverProperties().store(out, "grokstream single-node KRaft broker (generated)");
        }
        if (!Files.exists(settings.dataDir().resolve("meta.properties"))) {
            format(config);
        }
        Thread topics = new Thread(() -> {
            Provisioner.provision(settings.internalAdmin(), credentials);
            System.out.println("grokstream kafka ready: bootstrap " + settings.bootstrapServers() + " (SASL/SCRAM-SHA-512, "
                    + credentials.users().size() + " users), data " + settings.dataDir());
        }, "provisioner");
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
