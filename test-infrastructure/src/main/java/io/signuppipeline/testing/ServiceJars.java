package io.signuppipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds a service's executable jar in its module's {@code target} folder, from whichever module a
 * test runs in, so no test hard-codes the project's version, and gives the jar to run: the same
 * application extracted to a plain class path ({@code java -Djarmode=tools -jar ... extract}), as the
 * Dockerfile and the local runner run it.
 *
 * <p>Not the executable jar itself: under load its nested-jar class loader can deadlock with virtual
 * threads (spring-boot#51463). Seen here: an email worker stopped for good, every carrier thread
 * waiting for the lock of the jar a parked virtual thread held, while classes were still loading.
 */
final class ServiceJars {

    private static final Map<String, Object> EXTRACTING = new ConcurrentHashMap<>();

    private ServiceJars() {
    }

    /** The extracted application jar to run, extracted again whenever the executable jar has changed. */
    static Path of(String module) {
        Path executable = executableJar(module);
        Path extracted = executable.resolveSibling("extracted");
        Path application = extracted.resolve(executable.getFileName());
        Path stamp = extracted.resolve(".extracted-from");
        synchronized (EXTRACTING.computeIfAbsent(module, name -> new Object())) {
            try {
                String from = executable.getFileName() + " " + Files.size(executable) + " "
                        + Files.getLastModifiedTime(executable).toMillis();
                if (Files.isRegularFile(application) && Files.isRegularFile(stamp)
                        && Files.readString(stamp).equals(from)) {
                    return application;
                }
                extract(executable, extracted);
                Files.writeString(stamp, from);
                return application;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not extract " + executable, e);
            }
        }
    }

    private static void extract(Path executable, Path destination) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process extraction = new ProcessBuilder(java, "-Djarmode=tools", "-jar", executable.toString(), "extract",
                "--destination", destination.toString(), "--force")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!extraction.waitFor(2, TimeUnit.MINUTES) || extraction.exitValue() != 0) {
                extraction.destroyForcibly();
                throw new IOException("extracting " + executable + " failed or took over 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting " + executable, e);
        }
    }

    private static Path executableJar(String module) {
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
