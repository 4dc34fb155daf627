package io.signuppipeline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds a service's executable jar in its module's {@code target} folder, from whichever module a
 * test runs in, so no test hard-codes the project's version.
 */
final class ServiceJars {

    private ServiceJars() {
    }

    static Path of(String module) {
        Path target = projectRoot(module).resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> isExecutableJar(file, module)).findFirst()
                    .orElseThrow(() -> noJar(target));
        } catch (IOException e) {
            throw noJar(target);
        }
    }

    private static boolean isExecutableJar(Path file, String module) {
        String name = file.getFileName().toString();
        return name.startsWith(module + "-") && name.endsWith(".jar") && !name.endsWith("-plain.jar")
                && !name.endsWith("-tests.jar") && !name.endsWith("-sources.jar");
    }

    private static Path projectRoot(String module) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(module).resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No module " + module + " above " + Path.of("").toAbsolutePath());
    }

    private static IllegalStateException noJar(Path target) {
        return new IllegalStateException("No jar in " + target + ": package the services first "
                + "(./mvnw -DskipTests package)");
    }
}
