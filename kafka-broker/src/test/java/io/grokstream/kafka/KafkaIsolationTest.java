package io.grokstream.kafka;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.TopicScan;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's doors, tried as an outsider, a rival team and a service out of its lane would: the secured
 * {@link TestBroker} with the production ACLs ({@link AclPlan}).
 */
class KafkaIsolationTest {

    static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void anAnonymousClientCannotConnect() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "default.api.timeout.ms", 5000, "request.timeout.ms", 3000))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                    || e.getCause() instanceof org.apache.kafka.common.errors.DisconnectException, e.getCause().toString());
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        KafkaAccess impostor = broker.access(KafkaUser.TRAINER).as(KafkaUser.TRAINER.username(), "not-the-password");
        try (Admin admin = Admin.create(KafkaSettings.admin(impostor))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void aServiceCannotWriteATopicItDoesNotOwn() {
        // the gateway reads the training topic; only trainers write it
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> send(broker.access(KafkaUser.GATEWAY), Topics.TRAINING, "exp-forged"));
        assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }

    @Test
    void aServiceWritesTheTopicItOwns() throws Exception {
        assertEquals(Topics.TRAINING, send(broker.access(KafkaUser.TRAINER), Topics.TRAINING, "exp-owned"));
    }

    @Test
    void aTeamReadsItsOwnTopicAndThePublicOneButNotARivalsNorAnInternalTopic() throws Exception {
        send(broker.access(KafkaUser.ROUTER), Topics.teamTopic("demo"), "exp-demo-private");
        assertEquals(1, readAll(broker.teamAccess("demo"), Topics.teamTopic("demo")));
        assertEquals(0, readAll(broker.teamAccess("demo"), Topics.PUBLIC));
        assertThrows(TopicAuthorizationException.class, () -> readAll(broker.teamAccess("rival"), Topics.teamTopic("demo")));
        assertThrows(TopicAuthorizationException.class, () -> readAll(broker.teamAccess("rival"), Topics.TRAINING));
        assertThrows(TopicAuthorizationException.class, () -> readAll(broker.teamAccess("demo"), Topics.SNAPSHOTS));
    }

    @Test
    void aTeamUsesOnlyConsumerGroupsNamedAfterIt() {
        KafkaAccess demo = broker.teamAccess("demo");
        try (var consumer = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(demo, "rival.stolen", "c"))) {
            consumer.subscribe(List.of(Topics.teamTopic("demo")));
            assertThrows(GroupAuthorizationException.class, () -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            });
        }
    }

    private static String send(KafkaAccess access, String topic, String key) throws Exception {
        Map<String, Object> p = KafkaSettings.producer(access, "isolation-test");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (var producer = new KafkaProducer<String, byte[]>(p)) {
            return producer.send(new ProducerRecord<>(topic, key, "{}".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS).topic();
        }
    }

    /** How many records the topic holds, read without a group. */
    private static int readAll(KafkaAccess access, String topic) {
        return TopicScan.readAll(access, topic, Duration.ofSeconds(10)).size();
    }
}
