package io.signuppipeline.endtoend;

import static io.signuppipeline.endtoend.ComposeProject.PROVISION;
import static io.signuppipeline.endtoend.ComposeProject.SERVICE_MODULES;
import static io.signuppipeline.endtoend.ComposeProject.WORKERS;
import static io.signuppipeline.endtoend.ComposeProject.section;
import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.events.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfiles, held to what the services really read and to how the stack
 * must run: there is no Docker engine where the tests run, so this reads the files (CI also runs
 * {@code docker-compose config -q}). A property renamed in an application.yml, or a variable renamed
 * in the compose file, fails here rather than in someone's {@code docker compose up}. The tests are
 * flat rather than {@code @Nested}: {@code -Dtest=ComposeFileTest} would leave nested classes out.
 */
class ComposeFileTest {

    private static final ComposeProject project = ComposeProject.load();
    // A tag naming at least major.minor: "17.6-alpine", "v1.31.2", "4.1.4-management-alpine".
    private static final Pattern PINNED_IMAGE = Pattern.compile("^[^:@\\s]+:(v?\\d+\\.\\d+[^:\\s]*)$");
    // A password's default in the compose file: "${POSTGRES_PASSWORD:-demo-postgres}".
    private static final Pattern DEMO_DEFAULT = Pattern.compile("^\\$\\{[A-Z][A-Z0-9_]*:-demo-[a-z0-9-]+}$");
    private static final Pattern WITH_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-([^}]*)}");

    // Services: health checks, restarts, pinned images, scaling, start order.

    // The roster: one list of the workers per language, the same list in each.

    @Test
    void theScriptsRosterListsTheJavaRostersWorkersWithTheirStepsAndPorts() {
        List<String> roster = project.read("scripts/workers.roster").lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> String.join(" ", line.trim().split("\\s+")))
                .toList();

        assertThat(roster).containsExactlyElementsOf(Worker.ALL.stream()
                .map(worker -> worker.service() + " " + worker.step() + " " + worker.port()).toList());
    }

    @Test
    void everyWorkerOfTheRosterHasItsModulePortPasswordsAndComposeService() {
        SoftAssertions softly = new SoftAssertions();
        String envExample = project.read(".env.example");
        for (Worker worker : Worker.ALL) {
            String prefix = worker.service().toUpperCase(Locale.ROOT).replace('-', '_');
            softly.assertThat(project.read(worker.service() + "/src/main/resources/application.yml"))
                    .as("%s's default port", worker.service())
                    .contains("port: ${" + prefix + "_PORT:" + worker.port() + "}");
            softly.assertThat(envExample).as(".env.example").contains(prefix + "_RABBITMQ_PASSWORD=", prefix + "_DB_PASSWORD=");
            softly.assertThat(project.environment(worker.service())).as("compose's %s", worker.service()).isNotEmpty();
        }
        softly.assertAll();
    }

    @Test
    void everyServiceButTheOneShotProvisionHasAHealthCheck() {
        SoftAssertions softly = new SoftAssertions();
        project.services().forEach((name, service) -> {
            if (name.equals(PROVISION)) {
                return;
            }
            Map<String, Object> healthcheck = section(service, "healthcheck");
            softly.assertThat(healthcheck.get("test")).as("%s healthcheck.test", name).isInstanceOf(List.class);
            softly.assertThat(healthcheck.get("disable")).as("%s healthcheck.disable", name).isNotEqualTo(true);
        });
        softly.assertAll();
    }

    @Test
    void provisionRunsOnceAndIsNeverRestarted() {
        assertThat(project.service(PROVISION).get("restart")).isEqualTo("no");
        assertThat(project.service(PROVISION)).doesNotContainKey("healthcheck");
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        SoftAssertions softly = new SoftAssertions();
        project.services().forEach((name, service) -> {
            if (service.containsKey("image")) {
                softly.assertThat((String) service.get("image")).as("%s image", name).matches(PINNED_IMAGE);
            } else {
                softly.assertThat(service).as("%s: an image or a build", name).containsKey("build");
            }
        });
        project.services().forEach((name, service) -> {
            for (String image : baseImages(dockerfileOf(name))) {
                softly.assertThat(image).as("FROM in %s", dockerfileOf(name)).matches(PINNED_IMAGE);
            }
        });
        softly.assertAll();
    }

    @Test
    void workersPublishNoHostPortAndHaveNoFixedNameSoTheyScale() {
        for (String worker : WORKERS) {
            assertThat(project.service(worker)).as(worker).doesNotContainKeys("ports", "container_name");
        }
    }

    @Test
    void theApiIsCheckedOnReadinessWhichAMissingWorkerDoesNotTurnDown() {
        assertThat(section(project.service("signup-api"), "healthcheck").get("test").toString())
                .containsAnyOf("/actuator/health/readiness", "/actuator/health/liveness");
    }

    @Test
    void everyJavaServiceStartsOnceProvisionedAndTheBrokerAndDatabaseAreHealthy() {
        for (String module : SERVICE_MODULES) {
            Map<String, Object> dependsOn = section(project.service(module), "depends_on");
            assertThat(condition(dependsOn, PROVISION)).as(module).isEqualTo("service_completed_successfully");
            assertThat(condition(dependsOn, "postgres")).as(module).isEqualTo("service_healthy");
            assertThat(condition(dependsOn, "rabbitmq")).as(module).isEqualTo("service_healthy");
        }
    }

    @Test
    void noServiceThatAlwaysRunsDependsOnOneBehindAProfile() {
        SoftAssertions softly = new SoftAssertions();
        project.services().forEach((name, service) -> {
            if (!service.containsKey("profiles")) {
                for (String dependency : section(service, "depends_on").keySet()) {
                    softly.assertThat(project.service(dependency)).as("%s depends on %s", name, dependency)
                            .doesNotContainKey("profiles");
                }
            }
        });
        softly.assertAll();
    }

    private static Object condition(Map<String, Object> dependsOn, String dependency) {
        Object entry = dependsOn.get(dependency);
        return entry instanceof Map<?, ?> map ? map.get("condition") : null;
    }

    // Environment: every variable a service is given is one it reads, and every one has a default.

    @Test
    void everyVariableAServiceIsGivenIsOneItsApplicationYmlReads() {
        SoftAssertions softly = new SoftAssertions();
        for (String module : SERVICE_MODULES) {
            String yml = module + "/src/main/resources/application.yml";
            String text = project.configuration(module);
            Set<String> read = ComposeProject.interpolated(text);
            // Besides ${NAME}: the relaxed-binding name of a property under one of the yml's own top-level
            // keys, written out in the yml as its documented hook (MANAGEMENT_OPENTELEMETRY_TRACING_...).
            Set<String> topLevelKeys = new TreeSet<>(topLevelKeys(project.read(yml)));
            if (!text.equals(project.read(yml))) {
                topLevelKeys.addAll(topLevelKeys(project.read(ComposeProject.WORKER_DEFAULTS)));
            }
            for (String key : topLevelKeys) {
                String prefix = key.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
                Matcher named = Pattern.compile("\\b" + prefix + "[A-Z0-9_]+\\b").matcher(text);
                while (named.find()) {
                    read.add(named.group());
                }
            }
            softly.assertThat(read).as("variables %s reads, for compose's %s", yml, module)
                    .containsAll(project.environment(module).keySet());
        }
        softly.assertAll();
    }

    private static Set<String> topLevelKeys(String yml) {
        return new Yaml().<Map<String, Object>>load(yml).keySet();
    }

    @Test
    void everyVariableProvisionIsGivenIsOneScriptsProvisionShReads() {
        String script = project.read("scripts/provision.sh");
        Set<String> read = ComposeProject.interpolated(script);
        read.add("PGPASSWORD"); // libpq's own: the script's psql reads it
        Matcher environ = Pattern.compile("environ(?:\\.get\\(|\\[)\"([A-Z0-9_]+)\"").matcher(script);
        while (environ.find()) {
            read.add(environ.group(1));
        }
        // It reads <SERVICE>_RABBITMQ_PASSWORD and _DB_PASSWORD for signup-api and each worker of the roster,
        // which compose mounts beside it.
        assertThat(script).contains("signup-api:signup", "/workers.roster");
        assertThat(project.composeText).contains("./scripts/workers.roster:/opt/provision/workers.roster:ro");
        for (String service : SERVICE_MODULES) {
            String prefix = service.toUpperCase(Locale.ROOT).replace('-', '_');
            read.add(prefix + "_RABBITMQ_PASSWORD");
            read.add(prefix + "_DB_PASSWORD");
        }
        assertThat(read).containsAll(project.environment(PROVISION).keySet());
    }

    @Test
    void servicesUseTheDatabaseAndVhostProvisionCreates() {
        Map<String, String> provision = project.environment(PROVISION);
        for (String module : SERVICE_MODULES) {
            Map<String, String> environment = project.environment(module);
            String prefix = module.toUpperCase(Locale.ROOT).replace('-', '_');
            assertThat(environment.get("RABBITMQ_VHOST")).as(module).isEqualTo(provision.get("VHOST"));
            assertThat(environment.get(prefix + "_DB_URL")).as(module)
                    .isEqualTo("jdbc:postgresql://postgres:5432/" + provision.get("DATABASE"));
        }
    }

    @Test
    void everyPasswordHasADemoDefaultThatProvisionWarnsAbout() {
        SoftAssertions softly = new SoftAssertions();
        project.services().forEach((name, service) -> project.environment(name).forEach((key, value) -> {
            boolean password = key.endsWith("_PASSWORD") || key.endsWith("_PASS") || key.equals("PGPASSWORD");
            // SMTP_PASSWORD stays empty by default: Mailpit asks for none.
            if (password && !key.equals("SMTP_PASSWORD")) {
                softly.assertThat(value).as("%s %s", name, key).matches(DEMO_DEFAULT);
            }
        }));
        softly.assertAll();
        assertThat(project.read("scripts/provision.sh")).as("provision's warning about the demo passwords")
                .contains("demo-*) demo+=");
    }

    @Test
    void everyVariableHasOneDefaultAndEnvExampleWritesItOut() {
        Map<String, String> example = envExampleValues();
        Map<String, TreeSet<String>> defaults = new TreeMap<>();
        String composeFiles = bothComposeFiles();
        Matcher matcher = WITH_DEFAULT.matcher(composeFiles);
        while (matcher.find()) {
            defaults.computeIfAbsent(matcher.group(1), variable -> new TreeSet<>()).add(matcher.group(2));
        }
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(ComposeProject.interpolated(composeFiles))
                .as("variables used without a default (compose would need a .env)")
                .allMatch(defaults::containsKey);
        defaults.forEach((variable, values) -> {
            softly.assertThat(values).as("the defaults of %s", variable).hasSize(1);
            softly.assertThat(example.get(variable)).as(".env.example's %s", variable).isEqualTo(values.first());
        });
        softly.assertAll();
    }

    private static Map<String, String> envExampleValues() {
        Map<String, String> values = new TreeMap<>();
        for (String line : project.read(".env.example").lines().toList()) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
                values.put(trimmed.substring(0, trimmed.indexOf('=')).strip(),
                        trimmed.substring(trimmed.indexOf('=') + 1).strip());
            }
        }
        return values;
    }

    @Test
    void envExampleSetsExactlyTheVariablesComposeReads() {
        assertThat(project.envExampleKeys())
                .containsExactlyInAnyOrderElementsOf(ComposeProject.interpolated(bothComposeFiles()));
    }

    /** docker-compose.yml and the cluster's override, which reads the same .env. */
    private static String bothComposeFiles() {
        return project.composeText + "\n" + project.read("docker-compose.cluster.yml");
    }

    @Test
    void envExampleExplainsEveryVariablePassedOnWithoutAValue() {
        String example = project.read(".env.example");
        SoftAssertions softly = new SoftAssertions();
        project.services().forEach((name, service) -> section(service, "environment").forEach((key, value) -> {
            if (value == null) {
                softly.assertThat(example).as("%s's %s in .env.example", name, key)
                        .containsPattern("(?m)^#? ?" + key + "=");
            }
        }));
        softly.assertAll();
    }

    // Dockerfiles: built from the module, run unprivileged.

    @Test
    void eachServiceIsBuiltFromItsOwnModuleByTheOneDockerfileWithTheRepositoryAsContext() {
        for (String module : SERVICE_MODULES) {
            Map<String, Object> build = section(project.service(module), "build");
            assertThat(build).as(module).containsEntry("context", ".").doesNotContainKey("dockerfile");
            assertThat(section(build, "args")).as(module).containsEntry("MODULE", module);
        }
        assertThat(project.read("Dockerfile")).contains("-pl \"$MODULE\" ", "\"$MODULE\"/target/\"$MODULE\"-");
    }

    @Test
    void everyImageRunsAsAnUnprivilegedUser() {
        SoftAssertions softly = new SoftAssertions();
        project.services().keySet().stream().filter(name -> dockerfileOf(name) != null).forEach(name -> {
            List<String> instructions = project.dockerfileInstructions(dockerfileOf(name));
            List<String> finalStage = instructions.subList(lastIndexOf(instructions, "FROM "), instructions.size());
            String user = finalStage.stream().filter(i -> i.toUpperCase(Locale.ROOT).startsWith("USER "))
                    .reduce((first, second) -> second).map(i -> i.substring(5).strip()).orElse("root");
            softly.assertThat(user.split(":")[0]).as("USER of %s", dockerfileOf(name)).isNotIn("root", "0");
        });
        softly.assertAll();
    }

    private static int lastIndexOf(List<String> instructions, String prefix) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).toUpperCase(Locale.ROOT).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix + "instruction");
    }

    /** The Dockerfile compose builds a service from, relative to the repository, or null for an image. */
    private static String dockerfileOf(String service) {
        Map<String, Object> build = section(project.service(service), "build");
        if (build.isEmpty()) {
            return null;
        }
        String context = String.valueOf(build.get("context"));
        String dockerfile = String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"));
        return context.equals(".") ? dockerfile : context + "/" + dockerfile;
    }

    /** The images a Dockerfile's FROM lines name, leaving out its own earlier stages. */
    private static List<String> baseImages(String dockerfile) {
        if (dockerfile == null) {
            return List.of();
        }
        List<String> stages = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (String instruction : project.dockerfileInstructions(dockerfile)) {
            String[] words = instruction.split("\\s+");
            if (!words[0].equalsIgnoreCase("FROM")) {
                continue;
            }
            String image = words[1].startsWith("--platform") ? words[2] : words[1];
            if (!stages.contains(image)) {
                images.add(image);
            }
            if (words.length >= 4 && words[words.length - 2].equalsIgnoreCase("AS")) {
                stages.add(words[words.length - 1]);
            }
        }
        return images;
    }
}
