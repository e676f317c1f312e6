package io.grokstream.contracts;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a Kafka client connects and as whom: the bootstrap servers and, on the platform's secured broker, a SCRAM
 * user and password (SASL/SCRAM-SHA-512 over the client listener; the password never crosses the wire). Without a
 * user the client connects unauthenticated, which only an unsecured cluster accepts. With trusted certificates the
 * connection is TLS (SASL_SSL): the client checks the broker's certificate against them and its host name against
 * the certificate, and nothing crosses the wire in clear (a cluster's listener, deploy/kubernetes's Strimzi CA).
 * {@link #toString()} leaves the password out.
 *
 * @param bootstrapServers    host:port[,host:port...]
 * @param username            the principal ({@link KafkaUser#username()} or a team's), or null
 * @param password            its password, or null
 * @param trustedCertificates a PEM file of the certificates that sign the brokers' (their CA), or null: no TLS
 */
public record KafkaAccess(String bootstrapServers, String username, String password, Path trustedCertificates) {
    /** The SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** The environment variable naming a PEM file of the brokers' CA certificates (TLS to the brokers). */
    public static final String TRUSTSTORE_VARIABLE = "GROKSTREAM_KAFKA_TRUSTSTORE_FILE";

    /**
     * @throws IllegalArgumentException when the servers are blank, or only one of user and password is given
     */
    public KafkaAccess {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required");
        }
        if ((username == null) != (password == null) || username != null && (username.isBlank() || password.isEmpty())) {
            throw new IllegalArgumentException("a Kafka user needs both a name and a password");
        }
    }

    /** Without TLS. */
    public KafkaAccess(String bootstrapServers, String username, String password) {
        this(bootstrapServers, username, password, null);
    }

    /**
     * The same access over TLS, trusting the certificates in {@code pemFile}.
     *
     * @throws IllegalArgumentException when the file cannot be read
     */
    public KafkaAccess overTls(Path pemFile) {
        if (!Files.isReadable(pemFile)) {
            throw new IllegalArgumentException("cannot read the Kafka CA certificates " + pemFile);
        }
        return new KafkaAccess(bootstrapServers, username, password, pemFile);
    }

    /** Whether the connection is TLS. */
    public boolean tls() {
        return trustedCertificates != null;
    }

    /** An unauthenticated client (an unsecured cluster). */
    public static KafkaAccess anonymous(String bootstrapServers) {
        return new KafkaAccess(bootstrapServers, null, null);
    }

    /** A SCRAM user. */
    public static KafkaAccess scram(String bootstrapServers, String username, String password) {
        return new KafkaAccess(bootstrapServers, username, password);
    }

    /**
     * A SCRAM user whose password is the content of {@code passwordFile} (trimmed): how a deployment hands a
     * service its secret without putting it in an environment variable or an image.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static KafkaAccess scram(String bootstrapServers, String username, Path passwordFile) {
        try {
            return scram(bootstrapServers, username, Files.readString(passwordFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka password of " + username + " from " + passwordFile, e);
        }
    }

    /**
     * A command-line tool's access beside a platform: {@code GROKSTREAM_KAFKA_USERNAME} with
     * {@code GROKSTREAM_KAFKA_PASSWORD} or {@code GROKSTREAM_KAFKA_PASSWORD_FILE}; else the operator
     * ({@link KafkaUser#ADMIN}) when the development credentials hold its password
     * ({@code $GROKSTREAM_CREDENTIALS_DIR/kafka/admin.password}); else unauthenticated. Over TLS when
     * {@value #TRUSTSTORE_VARIABLE} names the brokers' CA certificates.
     */
    public static KafkaAccess fromEnvironment(String bootstrapServers) {
        KafkaAccess access = userFromEnvironment(bootstrapServers);
        String ca = System.getenv(TRUSTSTORE_VARIABLE);
        return ca == null || ca.isBlank() ? access : access.overTls(Path.of(ca));
    }

    private static KafkaAccess userFromEnvironment(String bootstrapServers) {
        String user = System.getenv("GROKSTREAM_KAFKA_USERNAME");
        if (user != null && !user.isBlank()) {
            String password = System.getenv("GROKSTREAM_KAFKA_PASSWORD");
            return password != null ? scram(bootstrapServers, user, password)
                    : scram(bootstrapServers, user, Path.of(System.getenv("GROKSTREAM_KAFKA_PASSWORD_FILE")));
        }
        String dir = System.getenv("GROKSTREAM_CREDENTIALS_DIR");
        Path admin = dir == null ? null : Path.of(dir, "kafka", KafkaUser.ADMIN.username() + ".password");
        return admin != null && Files.isReadable(admin) ? scram(bootstrapServers, KafkaUser.ADMIN.username(), admin)
                : anonymous(bootstrapServers);
    }

    /** Whether the client authenticates. */
    public boolean secured() {
        return username != null;
    }

    /** The same servers as another principal. */
    public KafkaAccess as(String otherUser, String otherPassword) {
        return new KafkaAccess(bootstrapServers, otherUser, otherPassword, trustedCertificates);
    }

    /** {@code bootstrap.servers} and, when secured, the SASL settings: what every client of the platform starts from. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (tls()) {
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, secured() ? "SASL_SSL" : "SSL");
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustedCertificates.toAbsolutePath().toString());
        } else if (secured()) {
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        }
        if (secured()) {
            p.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas("org.apache.kafka.common.security.scram.ScramLoginModule",
                    username, password));
        }
        return p;
    }

    /** A JAAS login-module line with a quoted user name and password. */
    public static String jaas(String loginModule, String username, String password) {
        return loginModule + " required username=\"" + quote(username) + "\" password=\"" + quote(password) + "\";";
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaAccess[" + bootstrapServers + (secured() ? " as " + username : " anonymous")
                + (tls() ? " over TLS" : "") + "]";
    }
}
