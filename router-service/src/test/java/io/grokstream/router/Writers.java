package io.grokstream.router;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.kafka.KafkaBrokerResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform's writers, each as its own Kafka user on the test broker: the gateway submits, the trainer publishes
 * training events and snapshots, the analysis service measures. Each publish waits for the broker.
 */
final class Writers implements AutoCloseable {
    private final Map<KafkaUser, KafkaProducer<String, byte[]>> producers = new EnumMap<>(KafkaUser.class);

    /** Publishes {@code record} as {@code writer} and returns it as sent (its headers included). */
    ProducerRecord<String, byte[]> send(KafkaUser writer, ProducerRecord<String, byte[]> record) {
        try {
            producer(writer).send(record).get(30, TimeUnit.SECONDS);
            return record;
        } catch (Exception e) {
            throw new IllegalStateException(writer + " could not publish to " + record.topic(), e);
        }
    }

    ProducerRecord<String, byte[]> publish(KafkaUser writer, GrokEvent event) {
        return send(writer, EventCodec.toRecord(event, "/grokstream/" + writer.username()));
    }

    /** The gateway's submission of an experiment of {@code team}. */
    ProducerRecord<String, byte[]> submit(String experimentId, String team, boolean publicRead) {
        return publish(KafkaUser.GATEWAY, new ExperimentSubmitted(experimentId, team, "router test", "task-p113",
                "sha-task-p113", NandaPreset.model(), NandaPreset.optimizer(), ExperimentSubmitted.GrokFastConfig.none(),
                new ExperimentSubmitted.TrainingBudget(1000, null), 1, ExperimentSubmitted.Cadence.defaults(),
                publicRead, null, null, Instant.now()));
    }

    /** The trainer's metrics after {@code step}. */
    ProducerRecord<String, byte[]> metrics(String experimentId, long step) {
        return publish(KafkaUser.TRAINER, new StepMetrics(experimentId, step, 4.0 / step, 5.0 / step, 0.5, 0.1,
                Map.of(), Map.of(), Map.of("embed.W_E", 1.0), Map.of("embed.W_E", 1.0), 1.0, Map.of("embed.W_E", 9.0),
                9.0, 1e-3, 20.0));
    }

    /** The analysis service's measures of the snapshot at {@code step}. */
    ProducerRecord<String, byte[]> measures(String experimentId, long step) {
        return publish(KafkaUser.ANALYSIS, new ProgressMeasured(experimentId, step, "1", Map.of("restricted_loss", 2.5),
                Map.of(), List.of(14, 35), Map.of(), Map.of(), 0, 12.0));
    }

    private KafkaProducer<String, byte[]> producer(KafkaUser writer) {
        return producers.computeIfAbsent(writer, w -> new KafkaProducer<>(
                KafkaSettings.producer(KafkaBrokerResource.access(w), "router-test-" + w.username())));
    }

    @Override
    public void close() {
        producers.values().forEach(KafkaProducer::close);
    }
}
