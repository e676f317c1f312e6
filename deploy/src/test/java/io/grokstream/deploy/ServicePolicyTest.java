package io.grokstream.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.WorkMetric;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `kubectl apply -k` sends holds the deployment's invariants: healthy, closed, non-root, scaled on work. */
class ServicePolicyTest {
    static final String NAME = "app.kubernetes.io/name";
    static final String GATEWAY = "grokstream-gateway";
    static final String TRAINER = "grokstream-trainer";
    static final String ANALYSIS = "grokstream-analysis";
    static final String SERVICE_KEY_SECRET = "grokstream-service-key";
    /** Strimzi's Secret of the cluster CA's certificate ({@code <cluster>-cluster-ca-cert}). */
    static final String KAFKA_CA_SECRET = StrimziResources.CLUSTER + "-cluster-ca-cert";
    /** An environment variable whose value would be a secret (its *_FILE form names a mounted file instead). */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|KEY)(_SHA256)?$");

    private final List<Object> cpu = Manifests.typedAll(Manifests.render("cpu"));
    private final List<Object> gpu = Manifests.typedAll(Manifests.render("gpu"));

    private static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void everyServiceHasProbesResourcesAndANonRootReadOnlyContainer() {
        List<Deployment> deployments = Manifests.of(cpu, Deployment.class);
        assertEquals(5, deployments.size());
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = container(d);
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), name);
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), name);
            assertNotNull(c.getStartupProbe(), name);
            Map<String, Quantity> requests = c.getResources().getRequests();
            assertTrue(requests.containsKey("cpu") && requests.containsKey("memory"), name + " requests");
            assertTrue(c.getResources().getLimits().containsKey("memory"), name + " memory limit");
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name);
            assertTrue(pod.getSecurityContext().getRunAsUser() > 0, name);
            assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), name);
            assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), name);
            assertFalse(Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()), name);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), name);
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), name);
            assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()), name);
            assertTrue(pod.getVolumes().stream().allMatch(v -> v.getHostPath() == null), name + " hostPath");
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                    name + " has a writable /tmp");
        }
    }

    @Test
    void noManifestHoldsASecretValue() {
        for (Object r : cpu) {
            String kind = r.getClass().getSimpleName();
            assertFalse(kind.equals("Secret"), "a Secret in the manifests");
        }
        for (Deployment d : Manifests.of(cpu, Deployment.class)) {
            for (EnvVar e : container(d).getEnv()) {
                if (SECRET_NAME.matcher(e.getName()).matches()) {
                    assertNull(e.getValue(), d.getMetadata().getName() + " sets " + e.getName() + " inline");
                }
            }
            Set<String> secrets = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null).map(v -> v.getSecret().getSecretName()).collect(Collectors.toSet());
            String user = env(d, "GROKSTREAM_KAFKA_USERNAME");
            assertTrue(secrets.containsAll(Set.of(SERVICE_KEY_SECRET, user, KAFKA_CA_SECRET)),
                    d.getMetadata().getName() + " mounts the service key, its Kafka user's Secret and the Kafka CA: "
                            + secrets);
            assertTrue(env(d, KafkaAccess.TRUSTSTORE_VARIABLE).startsWith("/etc/grokstream/kafka-ca/"),
                    d.getMetadata().getName() + " speaks TLS to Kafka");
            assertTrue(env(d, "KAFKA_BOOTSTRAP_SERVERS").endsWith(":9093"), "the TLS listener's port");
            assertTrue(env(d, "GROKSTREAM_KAFKA_PASSWORD_FILE").startsWith("/etc/grokstream/kafka/"));
            assertTrue(env(d, "GROKSTREAM_SERVICE_KEY_FILE").startsWith("/etc/grokstream/service-key/"));
        }
        for (java.nio.file.Path f : Manifests.resourceFiles()) {
            String text = Manifests.read(f);
            assertFalse(Pattern.compile("(?m)^\\s*(password|stringData|data):").matcher(text).find(), f + " holds a value");
        }
    }

    private static String env(Deployment d, String name) {
        return container(d).getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + " has no " + name));
    }

    @Test
    void onlyTheGatewayIsExposedWithTlsAndOnlyTheGatewayReachesTheInternalServices() {
        List<Ingress> ingresses = Manifests.of(cpu, Ingress.class);
        assertEquals(1, ingresses.size());
        Ingress in = ingresses.get(0);
        assertFalse(in.getSpec().getTls().isEmpty(), "TLS");
        in.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(
                p -> assertEquals(GATEWAY, p.getBackend().getService().getName())));
        Manifests.of(cpu, Service.class).forEach(s -> assertEquals("ClusterIP", s.getSpec().getType(),
                s.getMetadata().getName() + " is not exposed outside the cluster"));

        List<NetworkPolicy> policies = Manifests.of(cpu, NetworkPolicy.class);
        NetworkPolicy deny = Manifests.named(cpu, NetworkPolicy.class, "grokstream-default-deny");
        assertEquals(Map.of("app.kubernetes.io/part-of", "grokstream"), deny.getSpec().getPodSelector().getMatchLabels());
        assertTrue(deny.getSpec().getIngress() == null || deny.getSpec().getIngress().isEmpty());
        for (Deployment d : Manifests.of(cpu, Deployment.class)) {
            String name = d.getMetadata().getName();
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(selects(deny.getSpec().getPodSelector(), labels), name + " is closed by default");
            List<NetworkPolicyPeer> allowed = policies.stream().filter(p -> p != deny)
                    .filter(p -> selects(p.getSpec().getPodSelector(), labels))
                    .flatMap(p -> p.getSpec().getIngress().stream()).flatMap(r -> r.getFrom().stream()).toList();
            switch (name) {
                case GATEWAY -> assertTrue(allowed.stream().allMatch(p -> p.getNamespaceSelector() != null), name);
                case "grokstream-dataset", ANALYSIS -> assertTrue(allowed.stream().allMatch(p ->
                        p.getNamespaceSelector() != null && ANALYSIS.equals(name)
                                || p.getPodSelector() != null
                                && Map.of(NAME, GATEWAY).equals(p.getPodSelector().getMatchLabels())),
                        name + " admits the gateway (and, for its metrics, Prometheus) only: " + allowed);
                default -> assertTrue(allowed.isEmpty(), name + " admits no one: " + allowed);
            }
        }
    }

    /** Whether a selector (matchLabels, In expressions) selects a pod with these labels. */
    static boolean selects(LabelSelector s, Map<String, String> labels) {
        boolean byLabels = s.getMatchLabels() == null
                || s.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        boolean byExpressions = s.getMatchExpressions() == null || s.getMatchExpressions().stream()
                .allMatch(x -> x.getOperator().equals("In") && x.getValues().contains(labels.get(x.getKey())));
        return byLabels && byExpressions;
    }

    @Test
    void theGpuOverlayGivesEachTrainerAGpuOnAGpuNodeAndTheGpuDevice() {
        Deployment trainer = Manifests.named(gpu, Deployment.class, TRAINER);
        PodSpec pod = trainer.getSpec().getTemplate().getSpec();
        assertEquals(new Quantity("1"), container(trainer).getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"));
        assertTrue(pod.getTolerations().stream().anyMatch(t -> t.getKey().equals("nvidia.com/gpu")
                && t.getOperator().equals("Exists") && t.getEffect().equals("NoSchedule")));
        assertEquals("gpu", env(trainer, "GROKSTREAM_TRAINER_DEVICE"));
        assertTrue(container(trainer).getImage().endsWith("-gpu"), container(trainer).getImage());
        // what the overlay keeps of the base: the container's hardening, the Kafka user, the shutdown grace
        assertEquals(Boolean.TRUE, container(trainer).getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals("trainer", env(trainer, "GROKSTREAM_KAFKA_USERNAME"));
        Deployment cpuTrainer = Manifests.named(cpu, Deployment.class, TRAINER);
        Map<String, String> cpuNodes = cpuTrainer.getSpec().getTemplate().getSpec().getNodeSelector();
        assertTrue(cpuNodes == null || cpuNodes.isEmpty(), "CPU trainers run on any node");
        assertFalse(container(cpuTrainer).getResources().getLimits().containsKey("nvidia.com/gpu"));
        Manifests.of(gpu, Deployment.class).stream().filter(d -> !d.getMetadata().getName().equals(TRAINER))
                .forEach(d -> assertFalse(container(d).getResources().getLimits().containsKey("nvidia.com/gpu")));
        assertEquals(0, scaler(gpu, TRAINER).spec().minReplicaCount(), "GPU trainers scale to zero");
    }

    private static ScaledObject scaler(List<Object> resources, String target) {
        return Manifests.of(resources, ScaledObject.class).stream()
                .filter(s -> s.spec().scaleTargetRef().name().equals(target)).findFirst()
                .orElseThrow(() -> new AssertionError("no ScaledObject for " + target));
    }

    @Test
    void trainersAndAnalysisScaleOnTheWaitingWorkTheServicesExport() {
        ScaledObject trainers = scaler(cpu, TRAINER);
        String query = trainers.spec().triggers().get(0).metadata().get("query");
        assertTrue(query.contains(WorkMetric.EXPERIMENTS.prometheusName() + "{"), query);
        assertTrue(query.contains(ExperimentStatus.SUBMITTED.wire()) && query.contains(ExperimentStatus.RUNNING.wire()),
                query);
        assertTrue(query.startsWith("max("), "every gateway counts every experiment: the maximum, not the sum");
        ScaledObject analysis = scaler(cpu, ANALYSIS);
        assertTrue(analysis.spec().triggers().get(0).metadata().get("query")
                .contains(WorkMetric.ANALYSIS_SNAPSHOTS_WAITING.prometheusName()));
        assertTrue(analysis.spec().maxReplicaCount() <= Topics.DEFAULT_PARTITIONS,
                "an analysis instance beyond the snapshot partitions would hold none");
        assertTrue(trainers.spec().advanced().horizontalPodAutoscalerConfig().behavior().getScaleDown()
                .getStabilizationWindowSeconds() >= 60, "trainers scale down slowly");
        for (ScaledObject s : Manifests.of(cpu, ScaledObject.class)) {
            Manifests.named(cpu, Deployment.class, s.spec().scaleTargetRef().name());
        }

        // Prometheus scrapes what the queries read; the analysis service's metrics with the service key
        PodMonitor gatewayMonitor = Manifests.named(cpu, PodMonitor.class, GATEWAY);
        assertEquals(Map.of(NAME, GATEWAY), gatewayMonitor.getSpec().getSelector().getMatchLabels());
        PodMonitor analysisMonitor = Manifests.named(cpu, PodMonitor.class, ANALYSIS);
        assertEquals(SERVICE_KEY_SECRET,
                analysisMonitor.getSpec().getPodMetricsEndpoints().get(0).getAuthorization().getCredentials().getName());
    }

    @Test
    void drainsTakeOnePodAtATimeAndAStoppedTrainerHasTimeToHandItsRunsOver() {
        for (String app : List.of(GATEWAY, TRAINER, ANALYSIS)) {
            PodDisruptionBudget budget = Manifests.named(cpu, PodDisruptionBudget.class, app);
            assertEquals(Map.of(NAME, app), budget.getSpec().getSelector().getMatchLabels());
        }
        assertEquals(1, Manifests.named(cpu, PodDisruptionBudget.class, GATEWAY).getSpec().getMinAvailable().getIntVal());
        assertTrue(Manifests.named(cpu, Deployment.class, GATEWAY).getSpec().getReplicas() >= 2,
                "two gateways, so one always serves");
        Long grace = Manifests.named(cpu, Deployment.class, TRAINER).getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds();
        assertTrue(grace != null && grace >= 30, "a trainer's shutdown grace: " + grace);
        Deployment router = Manifests.named(cpu, Deployment.class, "grokstream-router");
        assertEquals(1, router.getSpec().getReplicas());
        assertEquals("Recreate", router.getSpec().getStrategy().getType(), "never two routers at once");
        List<Volume> gatewayVolumes = Manifests.named(cpu, Deployment.class, GATEWAY).getSpec().getTemplate().getSpec()
                .getVolumes();
        assertTrue(gatewayVolumes.stream().anyMatch(v -> v.getEmptyDir() != null && !v.getName().equals("tmp")),
                "the gateway's views on its own volume");
    }
}
