package io.grokstream.reliability;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OccupancyTest {

    @Test
    void anIdleSlotCountsOnlyWhileAnExperimentWaits() {
        // two slots live 0-10; slot A busy 0-4 then 5-10; slot B busy 0-10; one experiment waits 2-5
        Occupancy o = new Occupancy();
        o.live(0, 10);
        o.live(0, 10);
        o.busy(0, 4);
        o.busy(5, 10);
        o.busy(0, 10);
        o.waiting(2, 5);
        Occupancy.Sweep s = o.sweep();
        assertEquals(1.0, s.idleWhileWaiting(), 1e-12, "A idle 4-5 while the experiment waited");
        assertEquals(List.of(new Occupancy.Interval(4, 5)), s.episodes());
        assertEquals(1.0, s.longestEpisode(), 1e-12);
        assertEquals(19.0, o.work(), 1e-12);
    }

    @Test
    void noSlotIsIdleWhileWorkWaitsWhenAllAreBusyOrGone() {
        // one slot dies at 3 (its run ends there too); the other is busy throughout; an experiment waits 3-8
        Occupancy o = new Occupancy();
        o.live(0, 3);
        o.live(0, 10);
        o.busy(0, 3);
        o.busy(0, 10);
        o.waiting(3, 8);
        Occupancy.Sweep s = o.sweep();
        assertEquals(0.0, s.idleWhileWaiting(), 1e-12, "a dead slot is not an idle one");
        assertEquals(List.of(), s.episodes());
    }

    @Test
    void idleTimeIsBoundedByTheWaitingCount() {
        // three idle slots, one waiting experiment for 2 s: 2 slot-seconds, not 6
        Occupancy o = new Occupancy();
        for (int i = 0; i < 3; i++) {
            o.live(0, 4);
        }
        o.waiting(1, 3);
        Occupancy.Sweep s = o.sweep();
        assertEquals(2.0, s.idleWhileWaiting(), 1e-12);
        double[] last = s.waiting().get(s.waiting().size() - 1);
        assertEquals(4.0, last[0], 1e-12, "the series reach the last instant");
    }

    @Test
    void anIntervalCannotEndBeforeItStarts() {
        assertThrows(IllegalArgumentException.class, () -> new Occupancy.Interval(2, 1));
    }
}
