package io.grokstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS on the broker's client listener: a PKCS12 keystore with its key and certificate. Clients trust the certificate
 * (or the CA that signed it) through {@code KafkaAccess#overTls}; SCRAM then runs inside TLS (SASL_SSL).
 *
 * @param keystore    the PKCS12 file
 * @param password    its password (the store's and the key's)
 * @param certificate a PEM file of the certificate that clients trust: the broker's own when self-signed
 */
public record BrokerTls(Path keystore, String password, Path certificate) {

    public BrokerTls {
        if (keystore == null || password == null || password.isEmpty() || certificate == null) {
            throw new IllegalArgumentException("broker TLS needs a keystore, its password and the certificate to trust");
        }
    }

    /**
     * A new self-signed key and certificate for {@code host} (and 127.0.0.1) in {@code directory}, made by the JDK's
     * own keytool: what the test broker uses; a real deployment's certificates come from its CA (Strimzi's, say).
     *
     * @throws IllegalStateException when keytool fails
     */
    public static BrokerTls selfSigned(Path directory, String host, String password) {
        Path keystore = directory.resolve("broker.p12");
        Path certificate = directory.resolve("broker.crt");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "7",
                "-dname", "CN=" + host, "-ext", "SAN=dns:" + host + ",ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        return new BrokerTls(keystore, password, certificate);
    }

    private static void keytool(String... args) {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        try {
            Process p = new ProcessBuilder(concat(tool.toString(), args)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }

    /** Leaves the password out. */
    @Override
    public String toString() {
        return "BrokerTls[" + keystore + ", trusting " + certificate + "]";
    }

    /** Whether the files are there (a deployment's, before the broker starts). */
    public boolean readable() {
        return Files.isReadable(keystore) && Files.isReadable(certificate);
    }
}
