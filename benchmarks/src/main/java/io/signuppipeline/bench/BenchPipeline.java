package io.signuppipeline.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.signuppipeline.testing.FreePorts;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.ServiceEnvironment;
import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.ServiceProcess;
import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The system under measurement: the API and the four workers started from their jars with their
 * default settings, on a database and vhost of their own, with {@link DownstreamStandIn} answering
 * for the fraud API, Stripe and Slack as {@code mocks/} does, and GreenMail as the SMTP server, both
 * in this JVM, delivering every welcome email to {@link ReceivedEmails}. Everything runs on this one
 * machine at once.
 */
final class BenchPipeline implements AutoCloseable {

    private final TestServices run;
    private final DownstreamStandIn mocks;
    private final GreenMail smtp;
    private final ReceivedEmails emails;
    private final Map<String, String> environment;
    private final ServicePipeline services;
    private final List<ServiceProcess> replacements = new ArrayList<>();
    private final Map<String, ServiceProcess> current = new LinkedHashMap<>();
    private final Ledger ledger;
    private final Queues queues;
    private final SignupClient client;

    private BenchPipeline(TestServices run, DownstreamStandIn mocks, GreenMail smtp, ReceivedEmails emails,
            Map<String, String> environment, ServicePipeline services) {
        this.run = run;
        this.mocks = mocks;
        this.smtp = smtp;
        this.emails = emails;
        this.environment = environment;
        this.services = services;
        services.all().forEach(service -> current.put(service.name(), service));
        this.ledger = new Ledger(run.postgres());
        this.queues = new Queues(run.rabbitMq());
        this.client = new SignupClient(services.api().baseUrl());
    }

    static BenchPipeline start() {
        TestServices run = TestServices.get();
        DownstreamStandIn mocks = DownstreamStandIn.start();
        GreenMail smtp = new GreenMail(new ServerSetup(FreePorts.belowEphemeralRange(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            ReceivedEmails everyone = new ReceivedEmails();
            smtp.getUserManager().setMessageDeliveryHandler((message, recipient) -> everyone);
            Map<String, String> environment = ServiceEnvironment.of(run, mocks.baseUrl(), smtp.getSmtp().getPort());
            return new BenchPipeline(run, mocks, smtp, everyone, environment, ServicePipeline.start(environment));
        } catch (RuntimeException e) {
            smtp.stop();
            mocks.close();
            throw e;
        }
    }

    TestServices run() {
        return run;
    }

    SignupClient client() {
        return client;
    }

    Ledger ledger() {
        return ledger;
    }

    Queues queues() {
        return queues;
    }

    /** The running service processes, by name; a restarted worker replaces its first process. */
    Map<String, ServiceProcess> services() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(current));
    }

    /** The database connections the running services may open, as they report them. */
    ConnectionPools connectionPools() {
        return ConnectionPools.of(current);
    }

    /** Welcome emails the SMTP server has received so far. */
    long emailsReceived() {
        return emails.count();
    }

    /** Gives the fraud, Stripe and Slack mocks the lesson's latencies (200-500, 150-400, 100-300 ms). */
    void useLessonLatency() {
        MockApis.lessonLatency().forEach((prefix, millis) -> mocks.delay(prefix, millis[0], millis[1]));
    }

    /**
     * Restarts a worker with extra command-line settings, such as a maximum rate, after a graceful
     * stop; answers once it is healthy again.
     */
    void restart(String worker, List<String> arguments) {
        current.get(worker).terminate();
        ServiceProcess replacement = ServiceProcess.start(worker, environment, arguments);
        replacements.add(replacement);
        current.put(worker, replacement);
        replacement.awaitHealthy(Duration.ofMinutes(2));
    }

    /**
     * Freezes the four workers (SIGSTOP) so the API has the machine to itself while the queues
     * absorb what arrives, as when the workers run elsewhere; {@link #resumeWorkers()} lets them go on
     * where they stopped. Kept to seconds, well within the broker's 60 s heartbeat.
     */
    void pauseWorkers() {
        pause(ServicePipeline.WORKERS);
    }

    void resumeWorkers() {
        resume(ServicePipeline.WORKERS);
    }

    /**
     * Freezes these workers (SIGSTOP) until {@link #resume(List)}: for less than a minute, within the
     * broker's 60 s heartbeat, or the broker drops their connections.
     */
    void pause(List<String> workers) {
        signal("-STOP", workers);
    }

    void resume(List<String> workers) {
        signal("-CONT", workers);
    }

    private void signal(String signal, List<String> workers) {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        workers.forEach(worker -> command.add(Long.toString(current.get(worker).pid())));
        try {
            if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("Could not signal the workers: " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling the workers", e);
        }
    }

    @Override
    public void close() {
        resumeWorkers();
        client.close();
        queues.close();
        ledger.close();
        try (var stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            replacements.forEach(service -> stopping.submit(service::stop));
        }
        services.close();
        smtp.stop();
        mocks.close();
    }
}
