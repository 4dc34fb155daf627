package io.signuppipeline.endtoend;

import io.signuppipeline.events.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The repository's docker-compose.yml, .env.example, Dockerfiles and scripts, read as files: no Docker needed. */
final class ComposeProject {

    /** The services built from this repository's modules: compose service name = module = directory. */
    static final List<String> SERVICE_MODULES =
            Stream.concat(Stream.of("signup-api"), Worker.services().stream()).toList();
    static final List<String> WORKERS = SERVICE_MODULES.subList(1, SERVICE_MODULES.size());
    static final String PROVISION = "provision";

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

    final Path root;
    final String composeText;
    private final Map<String, Object> compose;

    private ComposeProject(Path root) {
        this.root = root;
        this.composeText = read("docker-compose.yml");
        this.compose = new Yaml().load(composeText);
    }

    static ComposeProject load() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isRegularFile(directory.resolve("docker-compose.yml"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("No docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return new ComposeProject(directory);
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services().get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> service, String key) {
        Object value = service.get(key);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** A service's environment, as written (before interpolation), in either of compose's two forms. */
    Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> variables.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = String.valueOf(entry).split("=", 2);
                variables.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return variables;
    }

    /** The variables a text interpolates as ${NAME...}, in upper or lower case as written. */
    static Set<String> interpolated(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = INTERPOLATION.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    Set<String> envExampleKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (String line : read(".env.example").lines().toList()) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
                keys.add(trimmed.substring(0, trimmed.indexOf('=')).strip());
            }
        }
        return keys;
    }

    /** A Dockerfile's instructions, comments and blank lines dropped, continuation lines joined. */
    List<String> dockerfileInstructions(String relativePath) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read(relativePath).lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    /** Where reliable-messaging keeps the settings every worker shares, and how a worker imports them. */
    static final String WORKER_DEFAULTS = "reliable-messaging/src/main/resources/signup-pipeline/worker-defaults.yml";
    private static final Pattern OWN_NAME = Pattern.compile("\\$\\{\\$\\{spring\\.application\\.name}\\.([a-z.-]+)");

    /**
     * A service's configuration as it reads it: its application.yml and, for a worker, the shared
     * defaults it imports, with the names made of its own ({@code ${${spring.application.name}.db.url}})
     * spelled out as the variable they read ({@code ${EMAIL_WORKER_DB_URL}}).
     */
    String configuration(String module) {
        String own = read(module + "/src/main/resources/application.yml");
        if (!own.contains("classpath:signup-pipeline/worker-defaults.yml")) {
            return own;
        }
        String prefix = module.toUpperCase(Locale.ROOT).replace('-', '_');
        return own + "\n" + OWN_NAME.matcher(read(WORKER_DEFAULTS)).replaceAll(name -> Matcher.quoteReplacement(
                "${" + prefix + "_" + name.group(1).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')));
    }

    String read(String relativePath) {
        try {
            return Files.readString(root.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
