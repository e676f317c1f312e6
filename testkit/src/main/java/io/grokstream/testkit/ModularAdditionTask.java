package io.grokstream.testkit;

import io.grokstream.contracts.TaskDefined;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Nanda et al.'s task, (x + y) mod p, materialised without the dataset service (which owns the real catalog): for
 * {@code ./grokstream train} (train), the benchmarks (bench) and the trainer's and analysis service's tests. Rows
 * {@code x y =} with tokens {@code x, y in [0, p)} and {@code '=' = p}, ordered x-major as the dataset service's
 * {@code ModularArithmetic} orders them; label {@code (x + y) mod p}, read at position 2 by output group {@code out}.
 * The split is Nanda's: a seeded shuffle of the p² rows ({@code java.util.Random}), the first {@code floor(frac p²)}
 * of them train (3,830 for p = 113 and 0.3), sorted.
 */
public final class ModularAdditionTask {
    private ModularAdditionTask() {
    }

    /** The task with its own id, {@code modular-add-p<p>-f<trainFraction>-s<seed>}. */
    public static TaskDefined of(int p, double trainFraction, long seed) {
        return of("modular-add-p" + p + "-f" + trainFraction + "-s" + seed, p, trainFraction, seed);
    }

    /**
     * The task under {@code taskId}.
     *
     * @throws IllegalArgumentException when p is outside [2, 1000] or the fraction outside (0, 1]
     */
    public static TaskDefined of(String taskId, int p, double trainFraction, long seed) {
        if (p < 2 || p > 1000) {
            throw new IllegalArgumentException("p must be in [2, 1000], got " + p);
        }
        if (!(trainFraction > 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("train fraction must be in (0, 1], got " + trainFraction);
        }
        int n = p * p;
        int[][] inputs = new int[n][];
        int[][] labels = new int[n][];
        for (int x = 0; x < p; x++) {
            for (int y = 0; y < p; y++) {
                inputs[x * p + y] = new int[]{x, y, p};
                labels[x * p + y] = new int[]{(x + y) % p};
            }
        }
        int[] train = trainRows(n, trainFraction, seed);
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            vocab.add(Integer.toString(i));
        }
        vocab.add("=");
        return new TaskDefined(taskId, "modular", Map.of("p", p, "op", "add", "trainFraction", trainFraction, "seed", seed),
                vocab, 3, List.of(new TaskDefined.Target("out", 2, p, "out", 1.0)),
                new TaskDefined.Residues(p, 0, 1), new TaskDefined.TaskData(inputs, labels, train),
                sha256(inputs, labels, train), List.of(), List.of(), Instant.now());
    }

    /** Nanda's {@code int(frac_train * len(pairs))} rows of a seeded shuffle, at least one, sorted. */
    private static int[] trainRows(int n, double trainFraction, long seed) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(order, new Random(seed));
        int nTrain = Math.max(1, (int) (trainFraction * n));
        return order.subList(0, nTrain).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static String sha256(int[][] inputs, int[][] labels, int[] train) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int[][] block : new int[][][]{inputs, labels}) {
                for (int[] row : block) {
                    md.update(Arrays.toString(row).getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteBuffer b = ByteBuffer.allocate(train.length * 4);
            for (int r : train) {
                b.putInt(r);
            }
            md.update(b.array());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
