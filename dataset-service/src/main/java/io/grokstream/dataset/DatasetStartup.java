package io.grokstream.dataset;

import io.grokstream.dataset.catalog.CatalogFollower;
import io.grokstream.dataset.catalog.DefaultTasks;
import io.grokstream.dataset.catalog.TaskService;
import io.grokstream.service.KafkaTopology;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Start-up in the order that makes the catalog right: topics exist ({@link KafkaTopology} creates them before the
 * application's start-up observers), the catalog has read the tasks topic to its end (so a restart knows every
 * task), then the defaults that are still absent are published.
 */
@ApplicationScoped
public class DatasetStartup {
    private static final Logger LOG = Logger.getLogger(DatasetStartup.class);

    private final CatalogFollower follower;
    private final TaskService tasks;
    private final DatasetConfig config;

    public DatasetStartup(CatalogFollower follower, TaskService tasks, DatasetConfig config) {
        this.follower = follower;
        this.tasks = tasks;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        follower.start();
        if (!follower.awaitLoaded(config.catalogLoadTimeout())) {
            throw new IllegalStateException("could not read the tasks topic within " + config.catalogLoadTimeout());
        }
        if (config.publishDefaults()) {
            int published = 0;
            for (DefaultTasks.Request request : DefaultTasks.ALL) {
                if (tasks.create(request.kind(), request.parameters()).created()) {
                    published++;
                }
            }
            LOG.infof("default tasks: %d published, %d already in the catalog", published,
                    DefaultTasks.ALL.size() - published);
        }
    }
}
