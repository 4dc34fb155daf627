package io.signuppipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

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
    /** How long an earlier build's classes are kept: longer than any run that may still use them. */
    private static final Duration KEEP = Duration.ofHours(6);

    private ServiceJars() {
    }

    /**
     * The extracted application jar to run. Each build of the jar is extracted once, into a folder of
     * its own named after the jar's size and time ({@code target/extracted/<size>-<time>/}): a build
     * or another run in this checkout never changes the classes under a service that is running, the
     * benchmark's beside a test run's. Folders of builds older than {@link #KEEP} are removed.
     */
    static Path of(String module) {
        Path executable = executableJar(module);
        synchronized (EXTRACTING.computeIfAbsent(module, name -> new Object())) {
            try {
                Path extracted = executable.resolveSibling("extracted");
                Path build = extracted.resolve(Files.size(executable) + "-"
                        + Files.getLastModifiedTime(executable).toMillis());
                Path application = build.resolve(executable.getFileName());
                if (!Files.isRegularFile(application)) {
                    // Into a folder of this process first, then renamed at once: a run starting
                    // meanwhile sees either no folder or a whole one.
                    Path partial = extracted.resolve(".partial-" + ProcessHandle.current().pid() + "-"
                            + build.getFileName());
                    extract(executable, partial);
                    try {
                        Files.move(partial, build, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        FileSystemUtils.deleteRecursively(partial);
                        if (!Files.isRegularFile(application)) {
                            throw e;
                        }
                        // Another run extracted the same build first: use its folder.
                    }
                    removeOldBuilds(extracted, build);
                }
                return application;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not extract " + executable, e);
            }
        }
    }

    private static void removeOldBuilds(Path extracted, Path current) throws IOException {
        FileTime before = FileTime.from(Instant.now().minus(KEEP));
        try (Stream<Path> builds = Files.list(extracted)) {
            for (Path build : builds.filter(build -> !build.equals(current)).toList()) {
                if (Files.getLastModifiedTime(build).compareTo(before) < 0) {
                    FileSystemUtils.deleteRecursively(build);
                }
            }
        }
    }

    private static void extract(Path executable, Path destination) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process extraction = new ProcessBuilder(java, "-Djarmode=tools", "-jar", executable.toString(), "extract",
                "--destination", destination.toString())
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
