package io.grokstream.kafka;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The server properties of grokstream's single-node KRaft broker: one process that is both broker and
 * controller, replication factor 1, records up to {@link Topics#MAX_MESSAGE_BYTES}, share groups (formatted with
 * Kafka 4.2's {@code share.version=1}), and no anonymous access:
 * <ul>
 *   <li>{@code CLIENT} (the client port): SASL/SCRAM-SHA-512, the users the {@link Provisioner} creates, one per
 *       service and team ({@link KafkaUser});</li>
 *   <li>{@code INTERNAL} (loopback) and {@code CONTROLLER}: SASL/PLAIN as {@link KafkaUser#BROKER}, whose password
 *       lives in this configuration only: the broker's own connections, and the provisioner's before any SCRAM
 *       user exists;</li>
 *   <li>KRaft's {@code StandardAuthorizer}: what no ACL allows is denied; {@code broker} and {@code admin} are super
 *       users.</li>
 * </ul>
 *
 * @param host           the advertised host name of the client listener
 * @param port           the client (SASL/SCRAM) port
 * @param controllerPort the KRaft controller port
 * @param internalPort   the inter-broker port, bound to loopback
 * @param dataDir        the log directory; survives restarts
 * @param brokerPassword the {@code broker} principal's password
 * @param tls            TLS on the client listener (SASL_SSL), or null: SASL over plain TCP
 */
public record BrokerSettings(String host, int port, int controllerPort, int internalPort, Path dataDir,
                             String brokerPassword, BrokerTls tls) {

    public BrokerSettings {
        if (brokerPassword == null || brokerPassword.isBlank()) {
            throw new IllegalArgumentException("the broker's password is required");
        }
    }

    /** Without TLS on the client listener. */
    public BrokerSettings(String host, int port, int controllerPort, int internalPort, Path dataDir,
                          String brokerPassword) {
        this(host, port, controllerPort, internalPort, dataDir, brokerPassword, null);
    }

    /**
     * From {@code GROKSTREAM_KAFKA_HOST}, {@code GROKSTREAM_KAFKA_PORT}, {@code GROKSTREAM_KAFKA_CONTROLLER_PORT},
     * {@code GROKSTREAM_KAFKA_INTERNAL_PORT}, {@code GROKSTREAM_KAFKA_DATA} (default {@code $GROKSTREAM_HOME/kafka})
     * and the broker's password from the credentials.
     */
    public static BrokerSettings fromEnvironment(KafkaCredentials credentials) {
        Path home = Path.of(env("GROKSTREAM_HOME", System.getProperty("user.home") + "/.grokstream"));
        return new BrokerSettings(env("GROKSTREAM_KAFKA_HOST", "localhost"),
                Integer.parseInt(env("GROKSTREAM_KAFKA_PORT", "9092")),
                Integer.parseInt(env("GROKSTREAM_KAFKA_CONTROLLER_PORT", "9093")),
                Integer.parseInt(env("GROKSTREAM_KAFKA_INTERNAL_PORT", "9094")),
                Path.of(env("GROKSTREAM_KAFKA_DATA", home.resolve("kafka").toString())),
                credentials.password(KafkaUser.BROKER.username()));
    }

    /** Leaves the passwords out. */
    @Override
    public String toString() {
        return "BrokerSettings[" + host + ":" + port + ", controller " + controllerPort + ", internal " + internalPort
                + ", " + dataDir + (tls == null ? "" : ", " + tls) + "]";
    }

    /** The client listener's address. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    /**
     * An admin client's settings as {@code broker} on the loopback listener: the provisioner's way in before any
     * SCRAM user exists.
     */
    public Map<String, Object> internalAdmin() {
        return internalAdmin(LOOPBACK + ":" + internalPort, brokerPassword);
    }

    /** An admin client's settings as {@code broker} on the inter-broker listener at {@code servers}. */
    public static Map<String, Object> internalAdmin(String servers, String brokerPassword) {
        Map<String, Object> a = new HashMap<>();
        a.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        a.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        a.put(SaslConfigs.SASL_MECHANISM, PLAIN);
        a.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaAccess.jaas(PLAIN_MODULE, KafkaUser.BROKER.username(), brokerPassword));
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return a;
    }

    public Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "CLIENT://" + host + ":" + port + ",INTERNAL://" + LOOPBACK + ":" + internalPort
                + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "CLIENT://" + host + ":" + port + ",INTERNAL://" + LOOPBACK + ":" + internalPort);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("listener.security.protocol.map", "CLIENT:" + (tls == null ? "SASL_PLAINTEXT" : "SASL_SSL")
                + ",INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        if (tls != null) {
            p.put("listener.name.client.ssl.keystore.type", "PKCS12");
            p.put("listener.name.client.ssl.keystore.location", tls.keystore().toAbsolutePath().toString());
            p.put("listener.name.client.ssl.keystore.password", tls.password());
            p.put("listener.name.client.ssl.key.password", tls.password());
        }
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        p.putAll(security());
        p.putAll(commonProperties());
        return p;
    }

    /** Authentication on every listener and authorization by ACL (see the class comment). */
    private Properties security() {
        String broker = KafkaUser.BROKER.username();
        String plain = PLAIN_MODULE + " required username=\"" + broker + "\" password=\"" + brokerPassword
                + "\" user_" + broker + "=\"" + brokerPassword + "\";";
        Properties p = new Properties();
        p.put("sasl.mechanism.controller.protocol", PLAIN);
        p.put("sasl.mechanism.inter.broker.protocol", PLAIN);
        p.put("listener.name.client.sasl.enabled.mechanisms", KafkaAccess.MECHANISM);
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        for (String listener : new String[]{"internal", "controller"}) {
            p.put("listener.name." + listener + ".sasl.enabled.mechanisms", PLAIN);
            p.put("listener.name." + listener + ".plain.sasl.jaas.config", plain);
        }
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + broker + ";User:" + KafkaUser.ADMIN.username());
        p.put("allow.everyone.if.no.acl.found", "false");
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

    static final String LOOPBACK = "127.0.0.1";
    /** The one node, broker and controller. */
    static final int NODE_ID = 1;
    static final String CONTROLLER = "CONTROLLER";
    private static final String PLAIN = "PLAIN";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
