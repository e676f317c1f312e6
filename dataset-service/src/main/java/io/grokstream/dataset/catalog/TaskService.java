package io.grokstream.dataset.catalog;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.dataset.DatasetConfig;
import io.grokstream.dataset.generate.CsvTable;
import io.grokstream.dataset.generate.CustomCsv;
import io.grokstream.dataset.generate.InvalidRequestException;
import io.grokstream.dataset.generate.Limits;
import io.grokstream.dataset.generate.Params;
import io.grokstream.dataset.generate.TaskKind;
import io.grokstream.dataset.generate.TaskKinds;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Creates tasks idempotently: checks the request, derives the id, answers from the catalog when the task exists,
 * else materialises it and publishes it, waiting for the broker's acknowledgement before it counts as created.
 * Check-and-publish runs under one lock, so two equal requests at once publish one definition.
 */
@ApplicationScoped
public class TaskService {

    /** The result of a create: the definition and whether this call published it. */
    public record Created(TaskDefined task, boolean created) {
    }

    private final TaskCatalog catalog;
    private final EventPublisher publisher;
    private final TaskDefinitions definitions;
    private final Object publishLock = new Object();

    public TaskService(TaskCatalog catalog, EventPublisher publisher, DatasetConfig config) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.definitions = new TaskDefinitions(new Limits(config.maxRows(), config.maxP()));
    }

    public Created create(String kindName, Map<String, Object> parameters) {
        TaskKind kind = TaskKinds.require(kindName);
        if (kind instanceof CustomCsv) {
            throw new InvalidRequestException("kind", "custom tasks are created by uploading a CSV to POST /tasks/custom");
        }
        Params params = kind.normalise(parameters);
        String id = TaskIds.of(kind, params);
        Optional<TaskDefined> existing = catalog.find(id);
        if (existing.isPresent()) {
            return new Created(existing.get(), false);
        }
        return publishOnce(definitions.define(kind, params));
    }

    /** A task from an uploaded CSV; {@code parameters} are the query parameters (name, labels, trainFraction, seed). */
    public Created createCustom(byte[] csv, Map<String, Object> parameters) {
        CustomCsv kind = (CustomCsv) TaskKinds.require(CustomCsv.NAME);
        Map<String, Object> withHash = new HashMap<>(parameters);
        withHash.put("csvSha256", HexFormat.of().formatHex(DataHash.sha256Digest().digest(csv)));
        Params params = kind.normalise(withHash);
        CsvTable table = CsvTable.parse(csv);
        String id = TaskIds.of(kind, params);
        Optional<TaskDefined> existing = catalog.find(id);
        if (existing.isPresent()) {
            return new Created(existing.get(), false);
        }
        return publishOnce(definitions.defineCustom(kind, params, table));
    }

    private Created publishOnce(TaskDefined definition) {
        synchronized (publishLock) {
            Optional<TaskDefined> existing = catalog.find(definition.taskId());
            if (existing.isPresent()) {
                return new Created(existing.get(), false);
            }
            publisher.publishAndWait(definition);
            catalog.put(definition);
            return new Created(definition, true);
        }
    }
}
