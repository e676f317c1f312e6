package io.grokstream.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every manifest of deploy/kubernetes, written or generated, as a file and as `kubectl kustomize` renders each
 * overlay, parses into the typed Kubernetes (fabric8), Strimzi ({@code io.strimzi:api}) or KEDA model with no field
 * the model does not know; and the generated files are what their generators write today.
 */
class ManifestModelTest {

    @Test
    void everyManifestFileParsesIntoItsTypedModelWithNoUnknownField() {
        List<Path> files = Manifests.resourceFiles();
        assertTrue(files.size() >= 12, "deploy/kubernetes's files: " + files);
        for (Path file : files) {
            List<Object> typed = Manifests.typedAll(Manifests.read(file));
            assertFalse(typed.isEmpty(), file + " holds no resource");
        }
    }

    @Test
    void eachOverlayRendersIntoTypedResourcesOnly() {
        for (String overlay : List.of("cpu", "gpu")) {
            List<Object> rendered = Manifests.typedAll(Manifests.render(overlay));
            // namespace, 5 × (Deployment, Service), Ingress, 4 policies, 3 budgets, 2 scalers, 2 monitors,
            // Kafka, KafkaNodePool, 10 topics, 6 users
            assertEquals(41, rendered.size(), overlay + " renders " + rendered.size() + " resources");
        }
    }

    @Test
    void aMisspeltFieldOrAnUnknownKindIsRefused() {
        String deployment = Manifests.read(Manifests.DIR.resolve("gpu/trainer-gpu.yaml"));
        Manifests.typedAll(deployment);
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> Manifests.typedAll(
                deployment.replace("nodeSelector:", "nodeSelecter:")));
        assertTrue(typo.getMessage().contains("nodeSelecter"), typo.getMessage());
        String user = Manifests.read(Manifests.DIR.resolve("kafka/users.yaml"));
        assertThrows(IllegalArgumentException.class, () -> Manifests.typedAll(user.replace("operations:", "operashuns:")));
        assertThrows(IllegalArgumentException.class, () -> Manifests.typedAll(Manifests.read(
                Manifests.DIR.resolve("base/autoscaling.yaml")).replace("threshold:", "treshold:")));
        assertThrows(IllegalArgumentException.class, () -> Manifests.typedAll("apiVersion: v1\nkind: Secret\n"
                + "metadata:\n  name: x\n"));
    }

    @Test
    void theServiceManifestsAreWhatQuarkusKubernetesGeneratesToday() throws Exception {
        for (String module : Layout.SERVICES) {
            Path generated = Layout.quarkusOutput(Manifests.REPOSITORY, module);
            assertTrue(Files.isReadable(generated), generated + " is missing: package " + module + " first");
            String committed = Files.readString(Manifests.DIR.resolve(Layout.committed(module)));
            String expected = Layout.committedText(module, generated);
            assertEquals(expected.lines().takeWhile(l -> l.startsWith("#")).toList(),
                    committed.lines().takeWhile(l -> l.startsWith("#")).toList(), module + "'s header");
            // as documents: quarkus-kubernetes writes some label maps in no fixed order from one build to the next
            assertEquals(Manifests.documents(expected), Manifests.documents(committed),
                    module + "'s manifest in deploy/kubernetes is stale: run ./grokstream deploy services");
        }
    }

    @Test
    void theKafkaTopicsAndUsersAreWhatTheRegistryAndTheAclPlanMakeToday() throws Exception {
        assertEquals(Layout.topicsYaml(), Files.readString(Manifests.DIR.resolve(Layout.TOPICS)),
                "stale: run ./grokstream deploy kafka");
        assertEquals(Layout.usersYaml(), Files.readString(Manifests.DIR.resolve(Layout.USERS)),
                "stale: run ./grokstream deploy kafka");
    }
}
