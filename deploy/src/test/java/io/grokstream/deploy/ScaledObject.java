package io.grokstream.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), typed for the fields deploy/kubernetes uses: fabric8 and Strimzi have no
 * model of it. Records, so Jackson refuses any field this model does not name (unknown properties fail); a
 * Prometheus trigger's metadata keys are checked against the scaler's documented ones.
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
    static final String API_VERSION = "keda.sh/v1alpha1";

    ScaledObject {
        if (!API_VERSION.equals(apiVersion) || !"ScaledObject".equals(kind)) {
            throw new IllegalArgumentException("not a " + API_VERSION + " ScaledObject: " + apiVersion + " " + kind);
        }
    }

    record Spec(Target scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount, Integer pollingInterval,
                Integer cooldownPeriod, Advanced advanced, List<Trigger> triggers) {
        Spec {
            if (scaleTargetRef == null || triggers == null || triggers.isEmpty()) {
                throw new IllegalArgumentException("a ScaledObject needs scaleTargetRef and triggers");
            }
        }
    }

    record Target(String name, String kind, String apiVersion) {
    }

    record Advanced(HpaConfig horizontalPodAutoscalerConfig) {
    }

    record HpaConfig(HorizontalPodAutoscalerBehavior behavior) {
    }

    /** KEDA's Prometheus scaler's metadata (keda.sh docs, scalers/prometheus). */
    static final Set<String> PROMETHEUS_KEYS = Set.of("serverAddress", "query", "threshold", "activationThreshold",
            "namespace", "customHeaders", "ignoreNullValues", "queryParameters", "unsafeSsl");

    record Trigger(String type, Map<String, String> metadata) {
        Trigger {
            if (!"prometheus".equals(type)) {
                throw new IllegalArgumentException("only prometheus triggers are modelled, got " + type);
            }
            if (!PROMETHEUS_KEYS.containsAll(metadata.keySet())) {
                throw new IllegalArgumentException("unknown prometheus trigger keys: " + metadata.keySet());
            }
            if (!metadata.keySet().containsAll(Set.of("serverAddress", "query", "threshold"))) {
                throw new IllegalArgumentException("a prometheus trigger needs serverAddress, query and threshold");
            }
        }
    }
}
