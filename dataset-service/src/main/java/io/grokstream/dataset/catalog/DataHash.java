package io.grokstream.dataset.catalog;

import io.grokstream.contracts.TaskDefined;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The canonical byte encoding of a task's data, and its sha256 (the {@code sha256} of a {@code TaskDefined}).
 * The encoding, version 1, is:
 * <pre>
 *   the 24 ASCII bytes "grokstream-task-data-v1\n"
 *   int32 rows, int32 seqLen, int32 targets
 *   inputs, row-major: rows * seqLen int32 token ids
 *   labels, row-major: rows * targets int32 classes
 *   int32 trainCount, then the training row indices ascending (int32 each)
 * </pre>
 * every int32 big-endian two's complement. It depends on nothing but the numbers, so any language reproduces
 * the hash from a definition's {@code data} (e.g. Python: {@code struct.pack('>i', v)} in the same order).
 */
public final class DataHash {
    public static final byte[] MAGIC = "grokstream-task-data-v1\n".getBytes(StandardCharsets.US_ASCII);

    private DataHash() {
    }

    public static String sha256(TaskDefined.TaskData data) {
        MessageDigest digest = sha256Digest();
        write(data, digest::update);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The encoding itself (tests and tools; {@link #sha256} streams it without building the array). */
    public static byte[] canonicalBytes(TaskDefined.TaskData data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(data, chunk -> out.write(chunk, 0, chunk.length));
        return out.toByteArray();
    }

    private static void write(TaskDefined.TaskData data, Consumer<byte[]> sink) {
        int rows = data.inputs().length;
        int seqLen = rows == 0 ? 0 : data.inputs()[0].length;
        int targets = rows == 0 ? 0 : data.labels()[0].length;
        sink.accept(MAGIC);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        Ints ints = new Ints(buffer, sink);
        ints.put(rows);
        ints.put(seqLen);
        ints.put(targets);
        for (int[] row : data.inputs()) {
            ints.putAll(row);
        }
        for (int[] row : data.labels()) {
            ints.putAll(row);
        }
        ints.put(data.trainRows().length);
        ints.putAll(data.trainRows());
        ints.flush();
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Big-endian int32s through a fixed buffer (ByteBuffer's default order is big-endian). */
    private record Ints(ByteBuffer buffer, Consumer<byte[]> sink) {
        void put(int v) {
            if (buffer.remaining() < Integer.BYTES) {
                flush();
            }
            buffer.putInt(v);
        }

        void putAll(int[] values) {
            for (int v : values) {
                put(v);
            }
        }

        void flush() {
            byte[] chunk = new byte[buffer.position()];
            buffer.flip();
            buffer.get(chunk);
            buffer.clear();
            sink.accept(chunk);
        }
    }
}
