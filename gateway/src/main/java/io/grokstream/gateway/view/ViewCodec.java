package io.grokstream.gateway.view;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.EventCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * How the views' entries are written in the {@link ViewStore}: JSON with the events' mapper (records as the API
 * shows them; {@link ExperimentState} by its fields), and metric rows as nine big-endian numbers, since a long run
 * has tens of thousands of them and they are read whole for every chart.
 */
final class ViewCodec {
    private static final ObjectMapper FIELDS = EventCodec.JSON.copy()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    private static final TypeReference<Map<String, double[]>> SPECTRA = new TypeReference<>() {
    };
    private static final int METRIC_BYTES = 9 * Long.BYTES;

    private ViewCodec() {
    }

    static byte[] json(Object value) {
        try {
            return (value instanceof ExperimentState ? FIELDS : EventCodec.JSON).writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            return null;
        }
        try {
            return (type == ExperimentState.class ? FIELDS : EventCodec.JSON).readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("the view store holds an unreadable " + type.getSimpleName(), e);
        }
    }

    static Map<String, double[]> spectra(byte[] bytes) {
        try {
            return bytes == null ? Map.of() : EventCodec.JSON.readValue(bytes, SPECTRA);
        } catch (IOException e) {
            throw new UncheckedIOException("the view store holds unreadable spectra", e);
        }
    }

    static byte[] metric(MetricPoint p) {
        return ByteBuffer.allocate(METRIC_BYTES).putLong(p.step()).putDouble(p.trainLoss())
                .putDouble(p.validationLoss()).putDouble(p.trainAccuracy()).putDouble(p.validationAccuracy())
                .putDouble(p.gradNormTotal()).putDouble(p.weightSquaredTotal()).putDouble(p.lr())
                .putDouble(p.stepMillis()).array();
    }

    static MetricPoint metric(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new MetricPoint(b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(),
                b.getDouble(), b.getDouble(), b.getDouble());
    }
}
