package io.grokstream.trainer.engine.cli;

import io.grokstream.contracts.TaskDefined;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny modular-addition task generator for the CLI and the engine's tests (the dataset service owns the real
 * catalog): rows {@code x y =} with tokens {@code x, y in [0, p)} and {@code '=' = p}, label {@code (x + y) mod p},
 * read at position 2 by output group {@code out}. As Nanda et al.: all p^2 pairs, a seeded shuffle, the first
 * {@code floor(frac p^2)} of them train.
 */
public final class ModularAddition {

    private ModularAddition() {
    }

    public static TaskDefined task(int p, double trainFraction, long seed) {
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
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        int nTrain = Math.max(1, (int) (trainFraction * n));     // Nanda: int(frac_train * p^2), 3,830 for p=113
        int[] train = order.subList(0, nTrain).stream().mapToInt(Integer::intValue).sorted().toArray();
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            vocab.add(Integer.toString(i));
        }
        vocab.add("=");
        String sha = sha256(inputs, labels, train);
        String id = "modular-add-p" + p + "-f" + trainFraction + "-s" + seed;
        return new TaskDefined(id, "modular", Map.of("p", p, "op", "add", "trainFraction", trainFraction, "seed", seed),
                vocab, 3, List.of(new TaskDefined.Target("out", 2, p, "out", 1.0)),
                new TaskDefined.Residues(p, 0, 1), new TaskDefined.TaskData(inputs, labels, train), sha,
                List.of(), List.of(), Instant.now());
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
