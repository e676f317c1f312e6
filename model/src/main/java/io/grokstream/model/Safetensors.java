package io.grokstream.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors file format (Hugging Face): an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, an optional string map under {@code __metadata__}, then the raw bytes.
 *
 * <p>Snapshots and checkpoints travel in this format so they load into PyTorch or TransformerLens as they are
 * ({@code safetensors.torch.load(bytes)}). Reading validates every offset: a truncated or corrupt record fails
 * with {@link IllegalArgumentException}, which consumers send to the dead-letter topic.
 */
public final class Safetensors {

    /** Refuse headers larger than this: a corrupt length must not allocate gigabytes. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /** A parsed file: tensors in file order and the string metadata. */
    public record File(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public File {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor named " + name + " (has " + tensors.keySet() + ")");
            }
            return t;
        }
    }

    /** Serialises tensors in the given order, header padded with spaces to an 8-byte boundary. */
    public static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("__metadata__ is reserved and cannot name a tensor");
            }
            Tensor t = e.getValue();
            ObjectNode node = header.putObject(e.getKey());
            node.put("dtype", t.dtype().name());
            var shape = node.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + t.data().length);
            offset += t.data().length;
        }
        byte[] headerBytes;
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        int padded = (headerBytes.length + 7) / 8 * 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (8 + padded + offset));
        byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array();
        out.writeBytes(len);
        out.writeBytes(headerBytes);
        for (int i = headerBytes.length; i < padded; i++) {
            out.write(' ');
        }
        for (Tensor t : tensors.values()) {
            out.writeBytes(t.data());
        }
        return out.toByteArray();
    }

    /** Parses a file, validating the header and every byte range. */
    public static File read(byte[] bytes) {
        if (bytes == null || bytes.length < 8) {
            throw new IllegalArgumentException("safetensors: need at least 8 bytes, got " + (bytes == null ? 0 : bytes.length));
        }
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > bytes.length) {
            throw new IllegalArgumentException("safetensors: header length " + headerLen + " does not fit a file of "
                    + bytes.length + " bytes (truncated?)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("safetensors: header is not JSON: " + ex.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException("safetensors: header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = bytes.length - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode node = e.getValue();
            Tensor.DType dtype;
            try {
                dtype = Tensor.DType.valueOf(node.path("dtype").asText());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("safetensors: tensor " + e.getKey() + " has unsupported dtype "
                        + node.path("dtype"));
            }
            JsonNode shapeNode = node.path("shape");
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asInt(-1);
            }
            JsonNode offsets = node.path("data_offsets");
            long begin = offsets.path(0).asLong(-1);
            long end = offsets.path(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataLen) {
                throw new IllegalArgumentException("safetensors: tensor " + e.getKey() + " has byte range [" + begin
                        + ", " + end + ") outside the " + dataLen + " data bytes (truncated?)");
            }
            byte[] data = Arrays.copyOfRange(bytes, (int) (dataStart + begin), (int) (dataStart + end));
            tensors.put(e.getKey(), new Tensor(dtype, shape, data));
        }
        return new File(tensors, metadata);
    }
}
