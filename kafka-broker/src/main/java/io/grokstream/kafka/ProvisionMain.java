package io.grokstream.kafka;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code ProvisionMain credentials DIR TEAM...} creates the development credentials that are missing (a random
 * password per Kafka user and team, {@link KafkaCredentials#ensure}); {@code ProvisionMain provision} provisions a
 * running broker from them through its inter-broker listener ({@code GROKSTREAM_KAFKA_INTERNAL_SERVERS}, default
 * {@code 127.0.0.1:9094}), as a deployment's one-shot set-up job does. Both read the credentials directory from
 * {@code GROKSTREAM_CREDENTIALS_DIR} (default {@code $GROKSTREAM_HOME/credentials}) unless given.
 */
public final class ProvisionMain {

    private ProvisionMain() {
    }

    public static void main(String[] args) {
        if (args.length >= 1 && args[0].equals("credentials")) {
            Path dir = args.length >= 2 ? Path.of(args[1]) : credentialsDirectory();
            KafkaCredentials c = KafkaCredentials.ensure(dir, Arrays.asList(args).subList(Math.min(2, args.length), args.length));
            System.out.println("grokstream: Kafka credentials in " + dir.resolve(KafkaCredentials.KAFKA_DIR) + " for "
                    + c.users());
        } else if (args.length == 1 && args[0].equals("provision")) {
            KafkaCredentials c = KafkaCredentials.load(credentialsDirectory());
            String servers = env("GROKSTREAM_KAFKA_INTERNAL_SERVERS", BrokerSettings.LOOPBACK + ":9094");
            Provisioner.provision(BrokerSettings.internalAdmin(servers, c.password("broker")), c);
            System.out.println("grokstream: provisioned " + servers + " for " + c.users());
        } else {
            System.err.println("usage: ProvisionMain credentials [DIR [TEAM...]] | ProvisionMain provision");
            System.exit(64);
        }
    }

    /** {@code GROKSTREAM_CREDENTIALS_DIR}, else {@code $GROKSTREAM_HOME/credentials}, else {@code ~/.grokstream/credentials}. */
    static Path credentialsDirectory() {
        String dir = System.getenv("GROKSTREAM_CREDENTIALS_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(env("GROKSTREAM_HOME", System.getProperty("user.home") + "/.grokstream")).resolve("credentials");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
