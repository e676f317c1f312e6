package io.grokstream.deploy;

import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.AclPlan;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Strimzi resources of the platform's Kafka, made from the same sources as the single-node broker's: a
 * {@code KafkaTopic} per topic of {@link Topics#platform} (partitions and configs from the registry, replication
 * {@value #REPLICAS}) and a {@code KafkaUser} per service, operator and team, with SCRAM-SHA-512 and exactly the ACLs
 * {@link AclPlan} gives that principal on the single-node broker. Strimzi's user operator writes each user's password
 * into a Secret of the user's name; no password is in any manifest.
 */
public final class StrimziResources {
    /** The {@code Kafka} resource's name: the label {@code strimzi.io/cluster} of every topic and user. */
    public static final String CLUSTER = "grokstream";
    public static final String CLUSTER_LABEL = "strimzi.io/cluster";
    public static final String API_VERSION = "kafka.strimzi.io/v1";
    /** Three brokers, every partition on each: one broker may be down with writes still accepted (min ISR 2). */
    public static final int REPLICAS = 3;
    public static final int MIN_IN_SYNC_REPLICAS = 2;
    private static final String PRINCIPAL = "User:";

    /** The operations the plan grants, in Kafka's words and Strimzi's. */
    private static final Map<org.apache.kafka.common.acl.AclOperation, AclOperation> OPERATIONS = Map.of(
            org.apache.kafka.common.acl.AclOperation.READ, AclOperation.READ,
            org.apache.kafka.common.acl.AclOperation.WRITE, AclOperation.WRITE,
            org.apache.kafka.common.acl.AclOperation.DESCRIBE, AclOperation.DESCRIBE,
            org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS, AclOperation.ALTERCONFIGS,
            org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS, AclOperation.DESCRIBECONFIGS);

    private StrimziResources() {
    }

    /** A KafkaTopic per topic of a platform with {@code teams}. */
    public static List<KafkaTopic> topics(Collection<String> teams) {
        return Topics.platform(teams).stream().map(StrimziResources::topic).toList();
    }

    static KafkaTopic topic(Topics.TopicSpec spec) {
        Map<String, Object> config = new TreeMap<>(spec.configs());
        return new KafkaTopicBuilder()
                .withApiVersion(API_VERSION)
                .withNewMetadata().withName(spec.name()).withLabels(Map.of(CLUSTER_LABEL, CLUSTER)).endMetadata()
                .withNewSpec().withPartitions(spec.partitions()).withReplicas(REPLICAS).withConfig(config).endSpec()
                .build();
    }

    /**
     * A KafkaUser per principal: the operator ({@link KafkaUser#ADMIN}, a super user with no ACLs), each service, and
     * each team of {@code teams}, with {@link AclPlan#of}'s rules for that principal. The broker's own user is
     * Strimzi's business (its brokers authenticate to each other with the cluster CA's certificates).
     */
    public static List<io.strimzi.api.kafka.model.user.KafkaUser> users(Collection<String> teams) {
        Map<String, List<AclBinding>> granted = new LinkedHashMap<>();
        Arrays.stream(KafkaUser.values()).filter(u -> u != KafkaUser.BROKER)
                .forEach(u -> granted.put(u.username(), new ArrayList<>()));
        teams.forEach(t -> granted.put(KafkaUser.team(t), new ArrayList<>()));
        for (AclBinding binding : AclPlan.of(teams)) {
            String principal = binding.entry().principal().substring(PRINCIPAL.length());
            List<AclBinding> own = granted.get(principal);
            if (own == null) {
                throw new IllegalStateException("the ACL plan names a principal with no KafkaUser: " + principal);
            }
            own.add(binding);
        }
        Map<String, List<AclRule>> rules = new LinkedHashMap<>();
        granted.forEach((principal, bindings) -> rules.put(principal, rules(bindings)));
        return rules.entrySet().stream().map(e -> user(e.getKey(), e.getValue())).toList();
    }

    /** Only the team's own resources: what `deploy team NAME` prints for a platform team to apply. */
    public static List<io.strimzi.api.kafka.model.user.KafkaUser> teamUser(String team) {
        String principal = KafkaUser.team(team);
        return users(List.of(team)).stream().filter(u -> u.getMetadata().getName().equals(principal)).toList();
    }

    private static io.strimzi.api.kafka.model.user.KafkaUser user(String name, List<AclRule> acls) {
        var user = new KafkaUserBuilder()
                .withApiVersion(API_VERSION)
                .withNewMetadata().withName(name).withLabels(Map.of(CLUSTER_LABEL, CLUSTER)).endMetadata()
                .withNewSpec().withAuthentication(new KafkaUserScramSha512ClientAuthentication()).endSpec();
        if (!acls.isEmpty()) {
            user.editSpec().withNewKafkaUserAuthorizationSimple().withAcls(acls).endKafkaUserAuthorizationSimple()
                    .endSpec();
        }
        return user.build();
    }

    /** A principal's bindings as Strimzi rules: one rule per resource and host, with all its operations. */
    static List<AclRule> rules(List<AclBinding> bindings) {
        Map<String, AclRule> byResource = new LinkedHashMap<>();
        for (AclBinding b : bindings) {
            AclRule rule = rule(b);
            AclRule same = byResource.putIfAbsent(b.pattern() + "@" + b.entry().host(), rule);
            if (same != null) {
                List<AclOperation> operations = new ArrayList<>(same.getOperations());
                operations.addAll(rule.getOperations());
                same.setOperations(operations);
            }
        }
        return List.copyOf(byResource.values());
    }

    /**
     * One Kafka ACL binding as a Strimzi rule: same resource, pattern, host and operation.
     *
     * @throws IllegalArgumentException for a resource type or operation the plan never uses
     */
    static AclRule rule(AclBinding binding) {
        if (binding.entry().permissionType() != org.apache.kafka.common.acl.AclPermissionType.ALLOW) {
            throw new IllegalArgumentException("the plan only allows; got " + binding);
        }
        ResourcePattern pattern = binding.pattern();
        AclResourcePatternType patternType = switch (pattern.patternType()) {
            case LITERAL -> AclResourcePatternType.LITERAL;
            case PREFIXED -> AclResourcePatternType.PREFIX;
            default -> throw new IllegalArgumentException("unsupported pattern type " + pattern.patternType());
        };
        AclRuleResource resource;
        if (pattern.resourceType() == ResourceType.TOPIC) {
            AclRuleTopicResource topic = new AclRuleTopicResource();
            topic.setName(pattern.name());
            topic.setPatternType(patternType);
            resource = topic;
        } else if (pattern.resourceType() == ResourceType.GROUP) {
            AclRuleGroupResource group = new AclRuleGroupResource();
            group.setName(pattern.name());
            group.setPatternType(patternType);
            resource = group;
        } else {
            throw new IllegalArgumentException("unsupported resource type " + pattern.resourceType());
        }
        AclOperation operation = OPERATIONS.get(binding.entry().operation());
        if (operation == null) {
            throw new IllegalArgumentException("unsupported operation " + binding.entry().operation());
        }
        return new AclRule(AclRuleType.ALLOW, resource, binding.entry().host(), List.of(operation));
    }

    /** A KafkaUser's rules back as Kafka ACL bindings: what the tests compare with the plan. */
    public static List<AclBinding> bindings(io.strimzi.api.kafka.model.user.KafkaUser user) {
        if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
            return List.of();
        }
        String principal = user.getMetadata().getName();
        return simple.getAcls().stream()
                .flatMap(rule -> rule.getOperations().stream().map(op -> binding(principal, rule, op))).toList();
    }

    private static AclBinding binding(String principal, AclRule rule, AclOperation operation) {
        AclRuleResource r = rule.getResource();
        String name;
        AclResourcePatternType type;
        ResourceType resourceType;
        if (r instanceof AclRuleTopicResource t) {
            name = t.getName();
            type = t.getPatternType();
            resourceType = ResourceType.TOPIC;
        } else if (r instanceof AclRuleGroupResource g) {
            name = g.getName();
            type = g.getPatternType();
            resourceType = ResourceType.GROUP;
        } else {
            throw new IllegalArgumentException("unexpected resource " + r);
        }
        PatternType patternType = type == AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
        return new AclBinding(new ResourcePattern(resourceType, name, patternType),
                new org.apache.kafka.common.acl.AccessControlEntry(PRINCIPAL + principal, rule.getHost(),
                        OPERATIONS.entrySet().stream().filter(e -> e.getValue() == operation).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException("unexpected operation " + operation))
                                .getKey(),
                        rule.getType() == AclRuleType.ALLOW ? org.apache.kafka.common.acl.AclPermissionType.ALLOW
                                : org.apache.kafka.common.acl.AclPermissionType.DENY));
    }
}
