package io.grokstream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Share groups need the cluster feature {@code share.version} at level 1 or more. Storage formatted by Kafka 4.2
 * gets it; a data directory formatted by an older release does not, so the broker's starters upgrade it.
 */
public final class ShareFeature {
    public static final String NAME = "share.version";
    static final short LEVEL = 1;

    private ShareFeature() {
    }

    /**
     * Upgrades {@value #NAME} to level 1 when it is lower; returns the finalized level.
     *
     * @throws IllegalStateException when the broker cannot be asked or refuses the upgrade
     */
    public static short ensure(Admin admin) {
        try {
            short level = level(admin);
            if (level < LEVEL) {
                admin.updateFeatures(Map.of(NAME, new FeatureUpdate(LEVEL, FeatureUpdate.UpgradeType.UPGRADE)),
                        new UpdateFeaturesOptions()).all().get(60, TimeUnit.SECONDS);
                level = level(admin);
            }
            return level;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while enabling share groups", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot enable share groups (" + NAME + "): " + e.getMessage(), e);
        }
    }

    private static short level(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(60, TimeUnit.SECONDS)
                .finalizedFeatures().get(NAME);
        return range == null ? 0 : range.maxVersionLevel();
    }
}
