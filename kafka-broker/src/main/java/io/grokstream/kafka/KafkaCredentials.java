package io.grokstream.kafka;

import io.grokstream.contracts.KafkaUser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Kafka users and their passwords: every {@link KafkaUser} and one principal per team. On disk (a development
 * install, a mounted secret) one file per user, {@code <dir>/kafka/<user>.password}, readable by its owner only;
 * the {@link Provisioner} turns them into SCRAM credentials on the broker, and each service reads its own file.
 * Rotating a password: replace the file, provision again, restart whoever uses it.
 */
public final class KafkaCredentials {
    /** The directory inside the credentials directory that holds the passwords. */
    public static final String KAFKA_DIR = "kafka";
    static final String SUFFIX = ".password";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> passwords;

    private KafkaCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** Random passwords for every {@link KafkaUser} and each team (an ephemeral broker, as in the tests). */
    public static KafkaCredentials random(Collection<String> teams) {
        Map<String, String> p = new TreeMap<>();
        users(teams).forEach(u -> p.put(u, secret()));
        return new KafkaCredentials(p);
    }

    /**
     * Creates the files of the users that have none (a random password each; files 0600, directory 0700) and
     * leaves existing ones alone, then loads them all.
     *
     * @throws UncheckedIOException when the directory cannot be written
     */
    public static KafkaCredentials ensure(Path credentialsDir, Collection<String> teams) {
        Path dir = credentialsDir.resolve(KAFKA_DIR);
        try {
            createPrivateDirectory(credentialsDir);
            createPrivateDirectory(dir);
            for (String user : users(teams)) {
                Path file = dir.resolve(user + SUFFIX);
                if (!Files.exists(file)) {
                    Files.writeString(file, secret() + "\n");
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kafka credentials in " + dir, e);
        }
        return load(credentialsDir);
    }

    /**
     * Every {@code <credentialsDir>/kafka/<user>.password}.
     *
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static KafkaCredentials load(Path credentialsDir) {
        Map<String, String> p = new TreeMap<>();
        try (Stream<Path> files = Files.list(credentialsDir.resolve(KAFKA_DIR))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                String name = f.getFileName().toString();
                p.put(name.substring(0, name.length() - SUFFIX.length()), Files.readString(f).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka credentials in " + credentialsDir, e);
        }
        return new KafkaCredentials(p);
    }

    /** The same credentials with {@code user}'s password set to {@code password}. */
    public KafkaCredentials with(String user, String password) {
        Map<String, String> p = new TreeMap<>(passwords);
        p.put(user, password);
        return new KafkaCredentials(p);
    }

    /**
     * @throws IllegalArgumentException when the user has no password here
     */
    public String password(String user) {
        String p = passwords.get(user);
        if (p == null) {
            throw new IllegalArgumentException("no Kafka password for " + user + " (have " + passwords.keySet() + ")");
        }
        return p;
    }

    /** Every user with a password, sorted. */
    public List<String> users() {
        return List.copyOf(passwords.keySet());
    }

    /** The teams among the users ({@code team-demo} gives {@code demo}). */
    public List<String> teams() {
        return passwords.keySet().stream().filter(u -> u.startsWith(KafkaUser.TEAM_PREFIX))
                .map(u -> u.substring(KafkaUser.TEAM_PREFIX.length())).toList();
    }

    private static List<String> users(Collection<String> teams) {
        return Stream.concat(Stream.of(KafkaUser.values()).map(KafkaUser::username), teams.stream().map(KafkaUser::team))
                .toList();
    }

    private static String secret() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Override
    public String toString() {
        return "KafkaCredentials" + users();   // never the passwords
    }
}
