package io.grokstream.model;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    @Test
    void tensorsAndMetadataRoundTripByteForByte() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("embed.W_E", Tensor.ofFloats(new float[]{1.5f, -2f, 3.25f, Float.MIN_VALUE, 0f, -0f}, 3, 2));
        tensors.put("unembed.W_U", Tensor.ofDoubles(new double[]{Math.PI, -Math.E}, 2, 1));
        tensors.put("rng", Tensor.ofLongs(new long[]{Long.MAX_VALUE, -1L}, 2));
        byte[] bytes = Safetensors.write(tensors, Map.of("step", "42"));

        Safetensors.File file = Safetensors.read(bytes);

        assertEquals(tensors, file.tensors());
        assertEquals("42", file.metadata().get("step"));
        assertArrayEquals(bytes, Safetensors.write(file.tensors(), file.metadata()));
    }

    @Test
    void writesTheLayoutPyTorchReads() {
        byte[] bytes = Safetensors.write(Map.of("w", Tensor.ofFloats(new float[]{1f, 2f}, 2)), Map.of());
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8).trim();

        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(8 + headerLen + 8, bytes.length);
        assertEquals(1f, ByteBuffer.wrap(bytes, (int) (8 + headerLen), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void truncatedFileIsRejectedWithTheReason() {
        byte[] bytes = Safetensors.write(Map.of("w", Tensor.ofFloats(new float[64], 8, 8)), Map.of());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(truncated));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Safetensors.read(new byte[]{1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.read(Arrays.copyOf(bytes, 20)));
    }

    @Test
    void tensorRefusesDataThatDoesNotMatchItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new Tensor(Tensor.DType.F32, new int[]{2, 2}, new byte[12]));
    }
}
