package io.grokstream.kafka;

import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The broker's ACLs, made from the topic registry ({@link Topics#ALL}: who writes and who reads each topic) and the
 * teams; whatever they do not allow, the broker denies. Super users ({@link KafkaUser#superUser()}) need none.
 * <ul>
 *   <li>a topic's writers: WRITE (an idempotent producer needs no more); its readers: READ (both imply DESCRIBE);</li>
 *   <li>a service with a {@link KafkaUser#groupPrefix()}: READ on the groups starting with it, and the trainer and
 *       the gateway ALTER_CONFIGS and DESCRIBE_CONFIGS on them (each sets its share group's start and lock);</li>
 *   <li>the router: WRITE on every team topic ({@value Topics#TEAM_PREFIX}...) and the public topic;</li>
 *   <li>a team: READ on its own topic and the public one, and on the groups starting with {@code <team>.}.</li>
 * </ul>
 */
public final class AclPlan {

    private AclPlan() {
    }

    public static List<AclBinding> of(Collection<String> teams) {
        List<AclBinding> acls = new ArrayList<>();
        for (Topics.TopicSpec t : Topics.ALL) {
            t.writers().stream().filter(u -> !u.superUser())
                    .forEach(u -> acls.add(allow(u.username(), topic(t.name()), AclOperation.WRITE)));
            t.readers().stream().filter(u -> !u.superUser())
                    .forEach(u -> acls.add(allow(u.username(), topic(t.name()), AclOperation.READ)));
        }
        for (KafkaUser u : KafkaUser.values()) {
            if (u.groupPrefix() != null) {
                acls.add(allow(u.username(), groups(u.groupPrefix()), AclOperation.READ));
            }
        }
        for (KafkaUser u : List.of(KafkaUser.TRAINER, KafkaUser.GATEWAY)) { // the two that configure share groups
            acls.add(allow(u.username(), groups(u.groupPrefix()), AclOperation.ALTER_CONFIGS));
            acls.add(allow(u.username(), groups(u.groupPrefix()), AclOperation.DESCRIBE_CONFIGS));
        }
        String router = KafkaUser.ROUTER.username();
        acls.add(allow(router, new ResourcePattern(ResourceType.TOPIC, Topics.TEAM_PREFIX, PatternType.PREFIXED),
                AclOperation.WRITE));
        acls.add(allow(router, topic(Topics.PUBLIC), AclOperation.WRITE));
        for (String team : teams) {
            String principal = KafkaUser.team(team);
            acls.add(allow(principal, topic(Topics.teamTopic(team)), AclOperation.READ));
            acls.add(allow(principal, topic(Topics.PUBLIC), AclOperation.READ));
            acls.add(allow(principal, groups(KafkaUser.teamGroupPrefix(team)), AclOperation.READ));
        }
        return acls;
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern groups(String prefix) {
        return new ResourcePattern(ResourceType.GROUP, prefix, PatternType.PREFIXED);
    }

    private static AclBinding allow(String user, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
