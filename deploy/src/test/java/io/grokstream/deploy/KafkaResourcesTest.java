package io.grokstream.deploy;

import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.AclPlan;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.ShareVersion;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster's Kafka as Strimzi runs it holds what the single-node broker holds, from the same sources. */
class KafkaResourcesTest {
    private final List<Object> kafka = Manifests.typedAll(Manifests.read(Manifests.DIR.resolve("kafka/kafka.yaml")));
    private final List<Object> topics = Manifests.typedAll(Manifests.read(Manifests.DIR.resolve(Layout.TOPICS)));
    private final List<Object> users = Manifests.typedAll(Manifests.read(Manifests.DIR.resolve(Layout.USERS)));

    @Test
    void theClusterHasThreeReplicatingBrokersInKraftWithShareGroups() {
        KafkaNodePool pool = Manifests.of(kafka, KafkaNodePool.class).get(0);
        assertEquals(3, pool.getSpec().getReplicas());
        assertTrue(pool.getSpec().getRoles().containsAll(List.of(ProcessRoles.BROKER, ProcessRoles.CONTROLLER)));
        assertEquals(StrimziResources.CLUSTER, pool.getMetadata().getLabels().get(StrimziResources.CLUSTER_LABEL));
        Kafka cluster = Manifests.named(kafka, Kafka.class, StrimziResources.CLUSTER);
        Map<String, Object> config = cluster.getSpec().getKafka().getConfig();
        assertEquals(StrimziResources.REPLICAS, ((Number) config.get("default.replication.factor")).intValue());
        assertEquals(StrimziResources.MIN_IN_SYNC_REPLICAS, ((Number) config.get("min.insync.replicas")).intValue());
        assertEquals(StrimziResources.REPLICAS,
                ((Number) config.get("share.coordinator.state.topic.replication.factor")).intValue());
        assertEquals(Topics.MAX_MESSAGE_BYTES, ((Number) config.get("message.max.bytes")).intValue());
        assertEquals(Boolean.FALSE, config.get("auto.create.topics.enable"));
        MetadataVersion version = MetadataVersion.fromVersionString(cluster.getSpec().getKafka().getMetadataVersion(), true);
        assertTrue(version.isAtLeast(ShareVersion.SV_1.bootstrapMetadataVersion()),
                "share.version=1 needs metadata version " + ShareVersion.SV_1.bootstrapMetadataVersion());
    }

    @Test
    void clientsAuthenticateWithScramInsideTlsAndTheAuthorizerDeniesWhatNoAclAllows() {
        Kafka cluster = Manifests.named(kafka, Kafka.class, StrimziResources.CLUSTER);
        List<GenericKafkaListener> listeners = cluster.getSpec().getKafka().getListeners();
        assertFalse(listeners.isEmpty());
        for (GenericKafkaListener l : listeners) {
            assertTrue(l.getAuth() instanceof KafkaListenerAuthenticationScramSha512, l.getName() + " authenticates");
            assertTrue(l.isTls(), l.getName() + " is TLS");
            assertFalse(l.getNetworkPolicyPeers() == null || l.getNetworkPolicyPeers().isEmpty(),
                    l.getName() + " admits only the platform's pods");
        }
        KafkaAuthorizationSimple simple = (KafkaAuthorizationSimple) cluster.getSpec().getKafka().getAuthorization();
        assertEquals(List.of(KafkaUser.ADMIN.username()), simple.getSuperUsers());
    }

    @Test
    void everyTopicOfTheRegistryIsAKafkaTopicWithItsPartitionsAndConfigs() {
        Map<String, KafkaTopic> byName = Manifests.of(topics, KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t));
        List<Topics.TopicSpec> expected = Topics.platform(List.of());
        assertEquals(expected.stream().map(Topics.TopicSpec::name).collect(Collectors.toSet()), byName.keySet());
        for (Topics.TopicSpec spec : expected) {
            KafkaTopic t = byName.get(spec.name());
            assertEquals(spec.partitions(), t.getSpec().getPartitions(), spec.name());
            assertEquals(StrimziResources.REPLICAS, t.getSpec().getReplicas(), spec.name());
            Map<String, String> config = t.getSpec().getConfig().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
            assertEquals(spec.configs(), config, spec.name());
        }
    }

    @Test
    void everyUsersAclsAreExactlyWhatTheSingleNodeBrokerGrants() {
        Set<AclBinding> granted = new HashSet<>();
        for (var user : Manifests.of(users, io.strimzi.api.kafka.model.user.KafkaUser.class)) {
            assertEquals("scram-sha-512", user.getSpec().getAuthentication().getType());
            granted.addAll(StrimziResources.bindings(user));
        }
        assertEquals(new HashSet<>(AclPlan.of(List.of())), granted);
        Set<String> names = Manifests.of(users, io.strimzi.api.kafka.model.user.KafkaUser.class).stream()
                .map(u -> u.getMetadata().getName()).collect(Collectors.toSet());
        assertEquals(Set.of("admin", "dataset", "trainer", "analysis", "gateway", "router"), names);
    }

    @Test
    void aNewTeamGetsItsOwnTopicAndTheAclsTheBrokerGivesATeam() {
        List<Object> team = Manifests.typedAll(Layout.teamYaml("blue"));
        KafkaTopic topic = Manifests.of(team, KafkaTopic.class).get(0);
        assertEquals(Topics.teamTopic("blue"), topic.getMetadata().getName());
        var user = Manifests.of(team, io.strimzi.api.kafka.model.user.KafkaUser.class).get(0);
        assertEquals(KafkaUser.team("blue"), user.getMetadata().getName());
        Set<AclBinding> planned = AclPlan.of(List.of("blue")).stream()
                .filter(b -> b.entry().principal().equals("User:" + KafkaUser.team("blue"))).collect(Collectors.toSet());
        assertFalse(planned.isEmpty());
        assertEquals(planned, new HashSet<>(StrimziResources.bindings(user)));
    }
}
