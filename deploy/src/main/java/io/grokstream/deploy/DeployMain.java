package io.grokstream.deploy;

import io.grokstream.contracts.KafkaUser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream deploy}: writes what deploy/kubernetes holds that is generated (the Strimzi topics and users
 * from the topic registry and the ACL plan; the services' manifests from quarkus-kubernetes), and prints a new
 * team's resources. The tests of this module fail when a committed file differs from what these commands write.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Generate the Kubernetes deployment's files (deploy/kubernetes) and a team's Kafka resources.",
        subcommands = {DeployMain.Kafka.class, DeployMain.Services.class, DeployMain.Team.class})
public final class DeployMain implements Runnable {
    static final int USAGE = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new DeployMain());
        cli.setParameterExceptionHandler((e, a) -> {
            cli.getErr().println(e.getMessage());
            e.getCommandLine().usage(cli.getErr());
            return USAGE;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = "Write kafka/topics.yaml and kafka/users.yaml (every internal topic and service user).")
    static final class Kafka implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = "deploy/kubernetes", description = "the deployment folder (${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Files.writeString(dir.resolve(Layout.TOPICS), Layout.topicsYaml());
            Files.writeString(dir.resolve(Layout.USERS), Layout.usersYaml());
            System.out.println("wrote " + dir.resolve(Layout.TOPICS) + " and " + dir.resolve(Layout.USERS));
            return 0;
        }
    }

    @Command(name = "services", mixinStandardHelpOptions = true,
            description = "Copy each service's generated manifest (<module>/target/kubernetes/kubernetes.yml, from "
                    + "`./mvnw package`) into base/generated.")
    static final class Services implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = "deploy/kubernetes", description = "the deployment folder (${DEFAULT-VALUE})")
        Path dir;
        @Option(names = "--root", defaultValue = ".", description = "the repository root (${DEFAULT-VALUE})")
        Path root;

        @Override
        public Integer call() throws IOException {
            for (String module : Layout.SERVICES) {
                Path generated = Layout.quarkusOutput(root, module);
                if (!Files.isReadable(generated)) {
                    System.err.println(generated + " is missing: run ./mvnw -DskipTests package first");
                    return 1;
                }
                Files.writeString(dir.resolve(Layout.committed(module)), Layout.committedText(module, generated));
            }
            System.out.println("wrote " + Layout.SERVICES.size() + " manifests into " + dir.resolve(Layout.GENERATED));
            return 0;
        }
    }

    @Command(name = "team", mixinStandardHelpOptions = true,
            description = "Print a team's KafkaTopic and KafkaUser (its own topic, read on the public one, its "
                    + "groups) to add it to a cluster: ./grokstream deploy team NAME | kubectl apply -n grokstream -f -")
    static final class Team implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the team (lower-case letters, digits, dashes)")
        String team;

        @Override
        public Integer call() {
            if (!KafkaUser.TEAM.matcher(team).matches()) {
                System.err.println("NAME must match " + KafkaUser.TEAM.pattern() + ", got " + team);
                return USAGE;
            }
            System.out.print(Layout.teamYaml(team));
            return 0;
        }
    }
}
