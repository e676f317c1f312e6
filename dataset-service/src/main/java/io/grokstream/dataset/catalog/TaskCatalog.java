package io.grokstream.dataset.catalog;

import io.grokstream.contracts.TaskDefined;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalog: every task definition on {@code grokstream.tasks.v1}, by id. A fold over the compacted topic
 * ({@link CatalogFollower}), plus what this instance has just published.
 */
@ApplicationScoped
public class TaskCatalog {
    private final ConcurrentHashMap<String, TaskDefined> tasks = new ConcurrentHashMap<>();

    public void put(TaskDefined task) {
        tasks.put(task.taskId(), task);
    }

    public void remove(String taskId) {
        tasks.remove(taskId);
    }

    public Optional<TaskDefined> find(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    public boolean contains(String taskId) {
        return tasks.containsKey(taskId);
    }

    /** Every task, sorted by id. */
    public List<TaskDefined> all() {
        return tasks.values().stream().sorted(Comparator.comparing(TaskDefined::taskId)).toList();
    }

    public int size() {
        return tasks.size();
    }
}
