package io.grokstream.contracts;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Kafka principals of the platform: one per service, the broker itself, an operator, and one per team
 * ({@link #team}). The broker authenticates every client (SASL/SCRAM-SHA-512) and authorizes it by these names:
 * the ACLs give each service exactly the topics {@link Topics#ALL} says it writes and reads, and a team its own
 * topic and the public one.
 */
public enum KafkaUser {
    /** The broker's own inter-broker and controller connections (SASL/PLAIN on loopback); a super user. */
    BROKER(null),
    /** Operators and the provisioner (users, ACLs, topics); a super user. */
    ADMIN(null),
    DATASET(null),
    /** Its slots share the experiments queue as members of this share group. */
    TRAINER("trainers"),
    /** Its live consumer group, and the replays' groups, which start with this name. */
    ANALYSIS("analysis-service"),
    /** Its replicas share the alerts (issue 19) as members of share group {@code grokstream-gateway.alerts}. */
    GATEWAY("grokstream-gateway"),
    /** Copies each team's events to the team's topic; its consumer group. */
    ROUTER("grokstream-router");

    /** A team's name: lower-case letters, digits and dashes, as in the gateway's {@code grokstream.gateway.teams.*}. */
    public static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The prefix of a team principal's name. */
    public static final String TEAM_PREFIX = "team-";

    private final String groupPrefix;

    KafkaUser(String groupPrefix) {
        this.groupPrefix = groupPrefix;
    }

    /** The SCRAM user name: {@code trainer}, {@code gateway}, ... */
    public String username() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The consumer or share groups this principal may join: those whose id starts with this; null for none. */
    public String groupPrefix() {
        return groupPrefix;
    }

    /** Whether the broker lets this principal do anything (no ACL needed). */
    public boolean superUser() {
        return this == BROKER || this == ADMIN;
    }

    /**
     * The principal of a team: {@code team-demo}. Its consumer groups must start with {@code demo.}.
     *
     * @throws IllegalArgumentException when {@code team} is not a team name ({@link #TEAM})
     */
    public static String team(String team) {
        if (team == null || !TEAM.matcher(team).matches()) {
            throw new IllegalArgumentException("a team name is 1-63 lower-case letters, digits or dashes, got " + team);
        }
        return TEAM_PREFIX + team;
    }

    /** The consumer groups a team may use: those starting with {@code <team>.}. */
    public static String teamGroupPrefix(String team) {
        return team(team).substring(TEAM_PREFIX.length()) + ".";
    }
}
