package io.grokstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * deploy/kubernetes read as the typed models: each YAML document by its apiVersion and kind, the Kubernetes kinds
 * into fabric8's classes, Strimzi's into {@code io.strimzi:api}'s, KEDA's into {@link ScaledObject}. A document of
 * any other kind, or one with a field its model does not know ({@link UnknownFields}), is an error.
 */
final class Manifests {
    /** The deployment folder, from the module's directory (where Maven runs the tests). */
    static final Path DIR = Path.of("kubernetes");
    static final Path REPOSITORY = Path.of("..");

    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry(StrimziResources.API_VERSION + "/Kafka", Kafka.class),
            Map.entry(StrimziResources.API_VERSION + "/KafkaNodePool", KafkaNodePool.class),
            Map.entry(StrimziResources.API_VERSION + "/KafkaTopic", KafkaTopic.class),
            Map.entry(StrimziResources.API_VERSION + "/KafkaUser", KafkaUser.class),
            Map.entry(ScaledObject.API_VERSION + "/ScaledObject", ScaledObject.class));

    private Manifests() {
    }

    /** The documents of a YAML stream (empty documents skipped). */
    static List<JsonNode> documents(String yaml) {
        try (MappingIterator<JsonNode> it = Yaml.MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One document as its typed model.
     *
     * @throws IllegalArgumentException for a kind with no model, a field the model does not know, or a value of the
     *                                  wrong type
     */
    static Object typed(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<?> model = MODELS.get(key);
        if (model == null) {
            throw new IllegalArgumentException("no typed model for " + key);
        }
        Object typed;
        try {
            typed = Yaml.MAPPER.treeToValue(doc, model);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " " + doc.path("metadata").path("name").asText() + ": "
                    + e.getMessage(), e);
        }
        List<String> unknown = UnknownFields.of(typed);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(key + " " + doc.path("metadata").path("name").asText()
                    + " has fields its model does not know: " + unknown);
        }
        return typed;
    }

    /** Every document of a file or of a rendered overlay, typed. */
    static List<Object> typedAll(String yaml) {
        return documents(yaml).stream().map(Manifests::typed).toList();
    }

    /** {@code kubectl kustomize} of an overlay of deploy/kubernetes ("cpu", "gpu"): what `kubectl apply -k` sends. */
    static String render(String overlay) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", DIR.resolve(overlay).toString())
                    .redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + overlay + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl (with kustomize) is needed on the PATH to render deploy/kubernetes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The typed resources of a rendered overlay that are of {@code type}. */
    static <T> List<T> of(List<Object> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<Object> resources, Class<T> type, String name) {
        return of(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** Every YAML file of deploy/kubernetes but the kustomizations (which are Kustomize's, not the cluster's). */
    static List<Path> resourceFiles() {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
