package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Everything the scenarios break and measure: the five services as processes on the run's own
 * database and vhost, WireMock serving {@code mocks/} with no added latency (the {@code fast} mocks:
 * the suite measures losses and duplicates, not speed), and GreenMail in this JVM as the SMTP server.
 *
 * @param services the signup API and the four workers
 * @param mocks the fraud API, Stripe and Slack
 * @param smtp where the welcome emails arrive
 * @param client signs users up through the API
 * @param ledger what the services recorded in the database
 * @param queues what waits in the broker
 * @param effects duplicate downstream effects, counted where they landed
 * @param adminPassword the workers' admin credential (user {@code admin}), for the replay endpoint
 */
record PipelineUnderTest(ServicePipeline services, WireMockServer mocks, GreenMail smtp, SignupClient client,
        SignupLedger ledger, BrokerQueues queues, EffectCounter effects, String adminPassword)
        implements AutoCloseable {

    /**
     * Four consumers in batches of five keep the 5,000-signup burst draining in about a minute on two
     * cores, with the in-flight limit, and so the repeats a kill can cause, where they were before the
     * workers took batches.
     */
    static final ListenerSettings WORKER_LISTENERS = new ListenerSettings(10, 4, 5);
    /**
     * The production retry tiers and breaker cool-down, scaled down about 300 times so an outage can
     * outlast the whole retry schedule (1.7 s) many times over within a CI run.
     */
    static final List<String> WORKER_TIMINGS = List.of("--messaging.consumer.retry-delays=200ms,500ms,1s",
            "--messaging.worker.breaker.open-for=2s", "--messaging.worker.breaker.sliding-window=10",
            "--messaging.worker.breaker.minimum-calls=5",
            // Longer than a batch's calls to the local stand-ins; shorter than the workers' restart.
            "--messaging.worker.claim-lease=5s");
    /** The API consumes four step results per signup, so it gets as many consumers as a worker. */
    static final ListenerSettings API_LISTENERS = new ListenerSettings(25, 4, 25);
    /**
     * The database scenario checks that every user row has its {@code user.signed_up} event in the
     * outbox, and that no event lacks its user: the API keeps published rows for it to count.
     */
    static final List<String> API_OUTBOX = List.of("--messaging.outbox.retention=1h");

    static PipelineUnderTest start() {
        TestServices run = TestServices.get();
        WireMockServer mocks = MockApis.start();
        // A fixed port, so that a scenario can stop the SMTP server and start it again where the email worker looks.
        GreenMail smtp = new GreenMail(new ServerSetup(FreePorts.belowEphemeralRange(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        long started = System.nanoTime();
        ServicePipeline services;
        Map<String, String> environment;
        try {
            environment = ServiceEnvironment.of(run, mocks.baseUrl(), smtp.getSmtp().getPort());
            services = ServicePipeline.start(environment,
                    Stream.concat(API_LISTENERS.arguments().stream(), API_OUTBOX.stream()).toList(),
                    Stream.concat(WORKER_LISTENERS.arguments().stream(), WORKER_TIMINGS.stream()).toList());
        } catch (RuntimeException e) {
            smtp.stop();
            mocks.stop();
            throw e;
        }
        Narrator.say("Pipeline up in %s: %s; database %s, vhost %s", Narrator.human(Duration.ofNanos(
                System.nanoTime() - started)), services.all(), run.postgres().jdbcUrl(), run.rabbitMq().virtualHost());
        SignupLedger ledger = new SignupLedger(run.postgres());
        PipelineUnderTest pipeline = new PipelineUnderTest(services, mocks, smtp,
                new SignupClient(services.api().baseUrl()), ledger, new BrokerQueues(run.rabbitMq()),
                new EffectCounter(mocks, smtp, ledger), environment.get(ServiceEnvironment.ADMIN_PASSWORD));
        try {
            pipeline.awaitWorkerConsumers();
        } catch (RuntimeException | Error e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    /**
     * Each worker queue has as many consumers as the settings ask for: proof the settings reached
     * the workers, so the in-flight limit the scenarios assert against is the one in force.
     */
    void awaitWorkerConsumers() {
        for (String worker : ServicePipeline.WORKERS) {
            String queue = BrokerQueues.workerQueue(worker);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> queues.consumers(queue) == WORKER_LISTENERS.concurrency());
        }
        Narrator.say("Workers listen with %s; timings %s", WORKER_LISTENERS, WORKER_TIMINGS);
    }

    /**
     * What the API logged when it refused requests (its "Answering 5xx" lines, at most {@code max}),
     * so that a failed assertion on the answers carries the API's own reason for them.
     */
    String apiRefusals(int max) {
        try (Stream<String> lines = Files.lines(services.api().log())) {
            List<String> refusals = lines.filter(line -> line.contains("Answering 5")).limit(max).toList();
            return refusals.isEmpty() ? "none logged" : String.join(System.lineSeparator(), refusals);
        } catch (IOException | UncheckedIOException e) {
            return "the API's log is unreadable: " + e;
        }
    }

    /**
     * Stops the services with SIGTERM, as an orchestrator would, and tells how long each took to
     * shut down gracefully; then the mocks.
     */
    @Override
    public void close() {
        try (var stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            services.all().forEach(service -> stopping.submit(() -> terminate(service)));
        }
        services.close();
        client.close();
        smtp.stop();
        mocks.stop();
    }

    private static void terminate(ServiceProcess service) {
        String name = service.toString();
        try {
            Narrator.say("SIGTERM to %s: exited %s later", name, Narrator.human(service.terminate()));
        } catch (RuntimeException e) {
            Narrator.say("SIGTERM to %s failed: %s", name, e.getMessage());
        }
    }
}
