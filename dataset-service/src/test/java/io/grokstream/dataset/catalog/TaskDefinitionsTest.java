package io.grokstream.dataset.catalog;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.dataset.generate.InvalidRequestException;
import io.grokstream.dataset.generate.Limits;
import io.grokstream.dataset.generate.TaskKind;
import io.grokstream.dataset.generate.TaskKinds;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskDefinitionsTest {
    private final TaskDefinitions definitions = new TaskDefinitions(new Limits(200_000, 1000));

    private TaskDefined define(String kind, Map<String, Object> raw) {
        TaskKind k = TaskKinds.require(kind);
        return definitions.define(k, k.normalise(raw));
    }

    @Test
    void everyDefaultIsByteIdenticalAcrossTwoRunsAndFitsTheTopic() throws IOException {
        for (DefaultTasks.Request request : DefaultTasks.ALL) {
            TaskDefined first = define(request.kind(), request.parameters());
            TaskDefined second = define(request.kind(), request.parameters());
            assertEquals(first.taskId(), second.taskId());
            assertEquals(first.sha256(), second.sha256());
            assertArrayEquals(DataHash.canonicalBytes(first.data()), DataHash.canonicalBytes(second.data()));
            assertEquals(DataHash.sha256(first.data()), first.sha256());
            byte[] json = EventCodec.encode(first);
            byte[] again = EventCodec.encode(new TaskDefined(second.taskId(), second.kind(), second.parameters(),
                    second.vocabulary(), second.seqLen(), second.targets(), second.residues(), second.data(),
                    second.sha256(), second.statistics(), second.warnings(), first.definedAt()));
            assertArrayEquals(json, again, request + ": the same JSON bytes");
            int zstd = zstdSize(json);
            System.out.printf("FIGURES size %-40s %9d bytes JSON, %8d bytes zstd, %6d rows x %2d targets%n",
                    first.taskId(), json.length, zstd, first.data().rows(), first.targets().size());
            assertTrue(json.length < Topics.MAX_MESSAGE_BYTES / 4, first.taskId() + " is " + json.length + " bytes");
        }
    }

    @Test
    void miiiiP113IsTwelveThousandRowsOfTwentyNineLabels() {
        TaskDefined miiii = define("miiii", Map.of());
        assertEquals(12_769, miiii.data().rows());
        assertEquals(29, miiii.targets().size());
        assertEquals(29, miiii.statistics().size());
        assertTrue(miiii.warnings().isEmpty(), miiii.warnings().toString());
    }

    @Test
    void aDefinitionOverTheTopicLimitIsRefused() {
        // miiii p=331: 109,561 rows x 66 targets, about 25 MB of JSON, over the 16 MiB topic limit
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> define("miiii", Map.of("p", 331)));
        assertEquals("parameters", e.field());
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void statisticsAndWarningsCoverEveryTarget() {
        TaskDefined sorting = define("sorting", Map.of("rows", 2000));
        assertEquals(5, sorting.statistics().size());
        for (int t = 0; t < 5; t++) {
            assertEquals(2000, java.util.Arrays.stream(sorting.statistics().get(t).histogram()).sum());
        }
        TaskDefined primality = define("primality", Map.of());
        assertEquals(1229, primality.statistics().get(0).histogram()[1]); // pi(10,000)
        assertEquals(1, primality.warnings().size(), "12% primes is far from uniform");
    }

    /** The size Kafka's own zstd codec (the producer's compression.type=zstd) makes of {@code bytes}. */
    static int zstdSize(byte[] bytes) throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream(1 << 16);
        try (OutputStream zstd = Compression.zstd().build().wrapForOutput(out, RecordBatch.CURRENT_MAGIC_VALUE)) {
            zstd.write(bytes);
        }
        return out.position();
    }

    @Test
    void hashesMatchAnIndependentPythonImplementation() {
        // printed by dataset-service/tools/task_hash.py --modular 113 0.3 598 (and 97 0.5 1 divide): a from-scratch
        // Python SplittableRandom, Fisher-Yates split and canonical encoding, sharing no code with this module
        assertEquals("a4b0698fea594fb1fb5ad6792a4ce00661c7fcd40d65a64360785aeb461e429d", define("modular", Map.of()).sha256());
        assertEquals("d47a639508c569577aa728dc62c056c8476ee17b8e323dc684d443255cd77d99",
                define("modular", Map.of("p", 97, "trainFraction", 0.5, "seed", 1, "operation", "divide")).sha256());
    }

    @Test
    void amongPatelsPairsExactlyTheUnevenOnesWarn() {
        // x -> x^a permutes the units mod p iff gcd(a, p - 1) = 1; a sum with one permuted operand is uniform.
        // Mod 113 (p - 1 = 112 = 2^4 * 7) only (7, 7) has no bijective side; mod 101 (100 = 2^2 * 5^2) only (5, 5).
        for (DefaultTasks.Request request : DefaultTasks.ALL) {
            if (!request.kind().equals("exponent")) {
                continue;
            }
            int a = (Integer) request.parameters().get("a");
            int b = (Integer) request.parameters().get("b");
            int p = (Integer) request.parameters().get("p");
            boolean uneven = gcd(a, p - 1) > 1 && gcd(b, p - 1) > 1;
            assertEquals(uneven, !define("exponent", request.parameters()).warnings().isEmpty(), request.toString());
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
