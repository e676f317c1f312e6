package io.grokstream.reliability;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.grokstream.reliability.BrokerAnswer.Kind.LET_THROUGH;
import static io.grokstream.reliability.BrokerAnswer.Kind.NOT_AUTHENTICATED;
import static io.grokstream.reliability.BrokerAnswer.Kind.NOT_AUTHORIZED;
import static io.grokstream.reliability.BrokerAnswer.Kind.UNANSWERED;

/**
 * Scenario 6 at the live broker's client listener (SASL/SCRAM-SHA-512, ACLs made from the topic registry's writers
 * and readers): team demo reads its private experiment's events on its team topic, while an anonymous client, a
 * wrong password, the rival team and a service out of its lane are refused. Each attempt is a line of the outcome;
 * kafka-broker's {@code KafkaIsolationTest} tries the same doors on the in-JVM test broker.
 */
final class KafkaIsolation {
    /** The teams of the gateway keys {@link Api#DEMO} and {@link Api#RIVAL}. */
    static final String TEAM = "demo";
    static final String RIVAL = "rival";
    /** How long the router may take to copy the private experiment's events to the team's topic. */
    static final Duration ROUTING_LIMIT = Duration.ofSeconds(120);
    static final String WRONG_PASSWORD = "not-the-password";

    private KafkaIsolation() {
    }

    /** Tries every door with demo's private experiment {@code secret}; records one check per attempt. */
    static void run(Platform platform, String secret, Outcome out) {
        KafkaAccess demo = platform.as(KafkaUser.team(TEAM));
        KafkaAccess rival = platform.as(KafkaUser.team(RIVAL));
        KafkaAccess gateway = platform.as(KafkaUser.GATEWAY.username());
        List<KafkaAttempt> attempts = new ArrayList<>();
        attempts.add(new KafkaAttempt("the operator (" + platform.kafka.username() + ") lists the topics, the control "
                + "that the broker answers", LET_THROUGH, KafkaProbe.connect(platform.kafka)));
        attempts.add(TeamFeed.await(platform, TEAM, demo, secret, ROUTING_LIMIT));
        attempts.add(new KafkaAttempt("an anonymous client (no SASL) lists the topics, each call bounded to "
                + KafkaProbe.BOUND.toSeconds() + " s", UNANSWERED,
                KafkaProbe.connect(KafkaAccess.anonymous(platform.bootstrap))));
        attempts.add(new KafkaAttempt(demo.username() + " logs in with a wrong password", NOT_AUTHENTICATED,
                KafkaProbe.connect(demo.as(demo.username(), WRONG_PASSWORD))));
        attempts.add(new KafkaAttempt(rival.username() + " reads " + Topics.teamTopic(TEAM), NOT_AUTHORIZED,
                KafkaProbe.read(rival, Topics.teamTopic(TEAM)).answer()));
        for (Topics.TopicSpec internal : Topics.ALL) {
            attempts.add(new KafkaAttempt(rival.username() + " reads the internal topic " + internal.name(),
                    NOT_AUTHORIZED, KafkaProbe.read(rival, internal.name()).answer()));
        }
        attempts.add(new KafkaAttempt(gateway.username() + " writes " + Topics.TRAINING + " (its writers: "
                + Topics.spec(Topics.TRAINING).writers().stream().map(KafkaUser::username).sorted().toList() + ")",
                NOT_AUTHORIZED, KafkaProbe.write(gateway, Topics.TRAINING, "forged-" + UUID.randomUUID())));
        attempts.forEach(a -> a.record(out));
        publicTopic(rival, secret, out);
        out.figure("privateExperiment", secret);
        out.figure("kafkaAttempts", attempts.size() + 1);
    }

    /** The rival may read the public topic: it must not find demo's private experiment there. */
    private static void publicTopic(KafkaAccess rival, String secret, Outcome out) {
        KafkaProbe.Read read = KafkaProbe.read(rival, Topics.PUBLIC);
        long leaked = read.records().stream().filter(r -> secret.equals(r.key())).count();
        out.check("Kafka: " + rival.username() + " reads " + Topics.PUBLIC + ", which every team may: "
                + read.answer().describe() + ", " + leaked + " of them of demo's private experiment",
                read.answer().kind() == LET_THROUGH && leaked == 0);
    }
}
