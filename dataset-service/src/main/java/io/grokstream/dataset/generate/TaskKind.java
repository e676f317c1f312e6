package io.grokstream.dataset.generate;

import java.util.List;

/**
 * A parameterised family of tasks: its parameters (with defaults and limits) and a deterministic generator.
 * Implementations keep no state; the same {@link Params} always give byte-identical data.
 */
public interface TaskKind {

    /** The kind's name in requests and definitions, e.g. {@code modular}. */
    String name();

    String description();

    List<ParameterDef> parameters();

    /** The readable head of a task id, e.g. {@code modular-add-p113} (the id appends a request hash). */
    String label(Params params);

    /**
     * Materialises the task.
     *
     * @throws InvalidRequestException when the parameters break a rule the parameter limits cannot state alone
     *                                 (p not prime, too many rows)
     */
    GeneratedTask generate(Params params, Limits limits);

    /** Checks and normalises raw request parameters against {@link #parameters()}. */
    default Params normalise(java.util.Map<String, Object> raw) {
        return Params.normalise(parameters(), raw);
    }
}
