package io.grokstream.reproduce.study;

import io.grokstream.reproduce.Study;

import java.util.List;
import java.util.Optional;

/** The studies {@code ./grokstream reproduce} knows, in the order {@code all} runs them. */
public final class Studies {
    private Studies() {
    }

    public static List<Study> all() {
        return List.of(new NandaStudy(), new GrokFastStudy(), new MiiiiStudy(), new ExponentsStudy(), new PrimalityStudy());
    }

    public static List<String> names() {
        return all().stream().map(Study::name).toList();
    }

    public static Optional<Study> byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
