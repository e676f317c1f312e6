package io.grokstream.router;

import io.grokstream.contracts.Topics;

import java.util.List;

/**
 * Who may see an experiment's events: its team, and every team when the experiment is public.
 *
 * @param team       the team that submitted it
 * @param publicRead whether every team may read it
 */
record Owner(String team, boolean publicRead) {

    /**
     * @throws IllegalArgumentException when {@code team} is not a team name, so it can have no topic
     */
    Owner {
        Topics.teamTopic(team);
    }

    /** The topics its events are copied to: the team's, and the public one when it is public. */
    List<String> targets() {
        String own = Topics.teamTopic(team);
        return publicRead ? List.of(own, Topics.PUBLIC) : List.of(own);
    }
}
