package io.signuppipeline.faultinjection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs an operator's command on this machine ({@code rabbitmqctl}, {@code pg_ctlcluster}), with a
 * deadline, and fails loudly with the command's own output when it does not succeed.
 */
final class Commands {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private Commands() {
    }

    /** Runs the command and answers how long it took; anything but exit code 0 is a failure. */
    static Duration run(String... command) {
        long started = System.nanoTime();
        Result result = execute(command);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("`" + String.join(" ", command) + "` exited with " + result.exitCode()
                    + ": " + result.output().strip());
        }
        Narrator.say("$ %s (%s)", String.join(" ", command), Narrator.human(took));
        return took;
    }

    static boolean succeeds(String... command) {
        return execute(command).exitCode() == 0;
    }

    private static Result execute(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "no exit within " + Narrator.human(DEADLINE));
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    private record Result(int exitCode, String output) {
    }
}
