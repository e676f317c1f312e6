package io.grokstream.kafka;

import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.TopicInitializer;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes a secured broker ready for the platform, as a super user, idempotently: share groups enabled, every topic
 * (the internal ones, each team's and the public one) with its configs, a SCRAM-SHA-512 credential per user (a
 * changed password file replaces it: that is how a password is rotated), and the ACLs of {@link AclPlan}. The broker's
 * own {@code broker} principal is PLAIN and lives in the broker's configuration, not here.
 */
public final class Provisioner {
    /** SCRAM iterations (Kafka's minimum is 4096). */
    static final int ITERATIONS = 8192;

    private Provisioner() {
    }

    /**
     * @param superAdmin an admin client's settings as a super user ({@link BrokerSettings#internalAdmin()})
     * @throws IllegalStateException when the broker refuses or does not answer
     */
    public static void provision(Map<String, Object> superAdmin, KafkaCredentials credentials) {
        try (Admin admin = Admin.create(superAdmin)) {
            ShareFeature.ensure(admin);
            TopicInitializer.ensureTopics(admin, Topics.platform(credentials.teams()));
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (String user : credentials.users()) {
                if (!user.equals(KafkaUser.BROKER.username())) {
                    users.add(new UserScramCredentialUpsertion(user,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), credentials.password(user)));
                }
            }
            admin.alterUserScramCredentials(users).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(AclPlan.of(credentials.teams())).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot provision the broker: " + e.getMessage(), e);
        }
    }
}
