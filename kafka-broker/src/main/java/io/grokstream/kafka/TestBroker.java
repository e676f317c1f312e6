package io.grokstream.kafka;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real, secured Kafka broker inside the test JVM: the same {@link BrokerSettings} as the local broker (SCRAM on
 * the client listener, ACLs, no anonymous access) on free ports and a temporary directory, with random passwords,
 * provisioned by the {@link Provisioner} for the development teams {@link #TEAMS}. Tests connect as the principal
 * whose work they do ({@link #access}).
 */
public final class TestBroker implements AutoCloseable {
    /** The teams the test broker knows (the gateway's development teams). */
    public static final List<String> TEAMS = List.of("demo", "rival");
    /**
     * One {@code broker} password for every test broker of a JVM, whatever class loader loads this class (Quarkus
     * tests load it again): Kafka caches its SASL login managers per JVM by listener and mechanism, so a second
     * broker with another {@code broker} password could not log in to its own controller.
     */
    static final String BROKER_PASSWORD_PROPERTY = "grokstream.test-broker.password";

    private final Path directory;
    private final BrokerSettings settings;
    private final KafkaCredentials credentials;
    private final KafkaRaftServer server;

    private TestBroker(Path directory, BrokerSettings settings, KafkaCredentials credentials, KafkaRaftServer server) {
        this.directory = directory;
        this.settings = settings;
        this.credentials = credentials;
        this.server = server;
    }

    /**
     * Formats a fresh directory, starts the broker and provisions it.
     *
     * @throws IllegalStateException when it cannot start
     */
    public static TestBroker start() {
        return start(false);
    }

    /**
     * The same broker with TLS on its client listener (a self-signed certificate for localhost, made by keytool):
     * its {@link #access} connections are SASL_SSL, trusting that certificate.
     *
     * @throws IllegalStateException when it cannot start
     */
    public static TestBroker startWithTls() {
        return start(true);
    }

    private static TestBroker start(boolean tls) {
        try {
            Path dir = Files.createTempDirectory("grokstream-kafka-");
            String brokerPassword;
            synchronized (System.class) {
                brokerPassword = System.getProperty(BROKER_PASSWORD_PROPERTY);
                if (brokerPassword == null) {
                    brokerPassword = KafkaCredentials.random(List.of()).password(KafkaUser.BROKER.username());
                    System.setProperty(BROKER_PASSWORD_PROPERTY, brokerPassword);
                }
            }
            KafkaCredentials credentials = KafkaCredentials.random(TEAMS)
                    .with(KafkaUser.BROKER.username(), brokerPassword);
            BrokerTls brokerTls = tls ? BrokerTls.selfSigned(dir, "localhost",
                    KafkaCredentials.random(List.of()).password(KafkaUser.BROKER.username())) : null;
            BrokerSettings settings = new BrokerSettings("localhost", freePort(), freePort(), freePort(),
                    dir.resolve("data"), credentials.password(KafkaUser.BROKER.username()), brokerTls);
            KafkaConfig config = KafkaConfig.fromProps(settings.serverProperties(), false);
            String data = settings.dataDir().toAbsolutePath().toString();
            new Formatter().setClusterId(Uuid.randomUuid().toString()).setNodeId(BrokerSettings.NODE_ID)
                    .setControllerListenerName(BrokerSettings.CONTROLLER).setMetadataLogDirectory(data)
                    .addDirectory(data).setPrintStream(new PrintStream(OutputStream.nullOutputStream())).run();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            Provisioner.provision(settings.internalAdmin(), credentials);
            return new TestBroker(dir, settings, credentials, server);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test broker: " + e.getMessage(), e);
        }
    }

    /** The client listener. */
    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    /** A service's (or the admin's) access: its SCRAM user. */
    public KafkaAccess access(KafkaUser user) {
        return access(user.username());
    }

    /** A team's access ({@code team-demo}). */
    public KafkaAccess teamAccess(String team) {
        return access(KafkaUser.team(team));
    }

    private KafkaAccess access(String username) {
        KafkaAccess access = KafkaAccess.scram(bootstrapServers(), username, credentials.password(username));
        return settings.tls() == null ? access : access.overTls(settings.tls().certificate());
    }

    /** The client listener's TLS, or null. */
    public BrokerTls tls() {
        return settings.tls();
    }

    /** The passwords, for a test's service configuration. */
    public KafkaCredentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
