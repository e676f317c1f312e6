package io.grokstream.kafka;

import io.grokstream.contracts.Topics;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of grokstream's single-node KRaft broker: one process that is both broker and
 * controller, replication factor 1, records up to {@link Topics#MAX_MESSAGE_BYTES}, and share groups (formatted with
 * Kafka 4.2's {@code share.version=1}).
 *
 * @param host           the advertised host name
 * @param port           the client (PLAINTEXT) port
 * @param controllerPort the KRaft controller port
 * @param dataDir        the log directory; survives restarts
 */
public record BrokerSettings(String host, int port, int controllerPort, Path dataDir) {

    /** From {@code GROKSTREAM_KAFKA_PORT}, {@code GROKSTREAM_KAFKA_CONTROLLER_PORT}, {@code GROKSTREAM_HOME}. */
    public static BrokerSettings fromEnvironment() {
        Path home = Path.of(env("GROKSTREAM_HOME", System.getProperty("user.home") + "/.grokstream"));
        return new BrokerSettings(env("GROKSTREAM_KAFKA_HOST", "localhost"),
                Integer.parseInt(env("GROKSTREAM_KAFKA_PORT", "9092")),
                Integer.parseInt(env("GROKSTREAM_KAFKA_CONTROLLER_PORT", "9093")),
                Path.of(env("GROKSTREAM_KAFKA_DATA", home.resolve("kafka").toString())));
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        p.putAll(commonProperties());
        return p;
    }

    /** Settings shared with the test broker: single-node replication and large records. */
    public static Properties commonProperties() {
        Properties p = new Properties();
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("message.max.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        // Share groups (the trainers' work queue): the share coordinator's state topic defaults to replication 3
        // and min ISR 2, which a single node cannot create. Locks down to 1 s let tests hold records briefly.
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.share.min.record.lock.duration.ms", "1000");
        return p;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
