package io.grokstream.dataset.catalog;

import io.grokstream.contracts.TaskDefined;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DataHashTest {

    @Test
    void canonicalBytesFollowTheDocumentedLayout() throws Exception {
        TaskDefined.TaskData data = new TaskDefined.TaskData(new int[][]{{1, 2}, {3, 258}}, new int[][]{{7}, {-1}}, new int[]{1});
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write("grokstream-task-data-v1\n".getBytes(StandardCharsets.US_ASCII));
        expected.write(new byte[]{
                0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1,          // rows, seqLen, targets
                0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 1, 2, // inputs (258 = 0x0102)
                0, 0, 0, 7, -1, -1, -1, -1,                  // labels (-1 two's complement)
                0, 0, 0, 1, 0, 0, 0, 1});                    // train count, train rows
        assertArrayEquals(expected.toByteArray(), DataHash.canonicalBytes(data));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray())),
                DataHash.sha256(data));
    }

    @Test
    void theSplitIsPartOfTheHash() {
        int[][] inputs = {{0, 1}, {1, 0}};
        int[][] labels = {{1}, {1}};
        assertNotEquals(DataHash.sha256(new TaskDefined.TaskData(inputs, labels, new int[]{0})),
                DataHash.sha256(new TaskDefined.TaskData(inputs, labels, new int[]{1})));
    }

    @Test
    void streamingHashEqualsTheHashOfTheWholeEncodingForLargeData() throws Exception {
        int rows = 40_000; // several 64 KiB buffers
        int[][] inputs = new int[rows][3];
        int[][] labels = new int[rows][1];
        for (int r = 0; r < rows; r++) {
            inputs[r] = new int[]{r % 113, r / 113, 113};
            labels[r][0] = r % 7;
        }
        TaskDefined.TaskData data = new TaskDefined.TaskData(inputs, labels, new int[]{0, 5, 9});
        byte[] bytes = DataHash.canonicalBytes(data);
        assertEquals(24 + 12 + rows * 16 + 4 + 12, bytes.length);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), DataHash.sha256(data));
    }
}
