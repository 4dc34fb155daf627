package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.Address;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.FreePorts;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.ServiceEnvironment;
import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.ServiceProcess;
import io.signuppipeline.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Two of every service, on the cluster of {@link LocalCluster}: two signup APIs, each relaying the
 * one outbox, and two of each worker, every process given the three nodes' addresses and
 * connecting to one of them at random. The database, the mocks and the settings are
 * {@link PipelineUnderTest}'s.
 *
 * @param instances the two pipelines, each an API and four workers
 * @param mocks the fraud API, Stripe and Slack
 * @param smtp where the welcome emails arrive
 * @param clients one per API, so that the load is shared between them
 * @param ledger what the services recorded in the database
 * @param queues what waits in the cluster, asked of any node that answers
 * @param effects duplicate downstream effects, counted where they landed
 * @param vhost the run's vhost on the cluster
 * @param cluster the nodes, asked for the consumers each queue has
 */
record ClusterPipeline(List<ServicePipeline> instances, WireMockServer mocks, GreenMail smtp,
        List<SignupClient> clients, SignupLedger ledger, BrokerQueues queues, EffectCounter effects,
        TestServices.RabbitMq vhost, LocalCluster cluster) implements AutoCloseable {

    static final int INSTANCES = 2;
    /** The load of the warm-up and of every scenario, shared by the two APIs. */
    static final int SIGNUPS_PER_SECOND = 100;

    static ClusterPipeline start(LocalCluster cluster) {
        TestServices run = TestServices.get();
        TestServices.RabbitMq vhost = cluster.createVhost(run.rabbitMq().virtualHost() + "-cluster");
        WireMockServer mocks = MockApis.start();
        GreenMail smtp = new GreenMail(new ServerSetup(FreePorts.belowEphemeralRange(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        long started = System.nanoTime();
        List<ServicePipeline> instances = new ArrayList<>();
        try {
            Map<String, String> environment = new HashMap<>(ServiceEnvironment.of(new TestServices(run.postgres(), vhost),
                    mocks.baseUrl(), smtp.getSmtp().getPort()));
            environment.put("SPRING_RABBITMQ_ADDRESSES", LocalCluster.addresses());
            List<String> api = Stream.concat(PipelineUnderTest.API_LISTENERS.arguments().stream(),
                    PipelineUnderTest.API_OUTBOX.stream()).toList();
            List<String> workers = Stream.concat(PipelineUnderTest.WORKER_LISTENERS.arguments().stream(),
                    PipelineUnderTest.WORKER_TIMINGS.stream()).toList();
            // Side by side: a JVM waiting on its database migration or its first connection leaves the cores to the others.
            try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<ServicePipeline>> starts = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    starts.add(starting.submit(() -> ServicePipeline.start(environment, api, workers)));
                }
                for (Future<ServicePipeline> instance : starts) {
                    instances.add(instance.get());
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("An instance did not start", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting the services", e);
            }
        } catch (RuntimeException e) {
            instances.forEach(ServicePipeline::close);
            smtp.stop();
            mocks.stop();
            throw e;
        }
        Narrator.say("Two of every service up on the cluster in %s: %s; vhost %s",
                Narrator.human(Duration.ofNanos(System.nanoTime() - started)),
                instances.stream().flatMap(instance -> instance.all().stream()).toList(), vhost.virtualHost());
        SignupLedger ledger = new SignupLedger(run.postgres());
        List<Address> nodes = List.of(Address.parseAddresses(LocalCluster.addresses()));
        ClusterPipeline pipeline = new ClusterPipeline(List.copyOf(instances), mocks, smtp,
                instances.stream().map(instance -> new SignupClient(instance.api().baseUrl())).toList(), ledger,
                new BrokerQueues(vhost, nodes), new EffectCounter(mocks, smtp, ledger), vhost, cluster);
        try {
            pipeline.awaitAllConsumers(Duration.ofSeconds(60));
        } catch (RuntimeException | Error e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    /**
     * 4,000 signups at the scenarios' rate ({@link #SIGNUPS_PER_SECOND}), until they are fully
     * processed. Ten JVMs fresh from start on two cores spend a third of their CPU or more compiling
     * through their first minutes of load (docs/benchmarks.md), and their answers slow down with it:
     * after a warm-up of 200 signups at 40/s, a fault at 100/s left some POSTs without an answer
     * within 10 s. A service that has run for a while has done that compiling.
     */
    void warmUp() {
        Cohort cohort = new Cohort("cluster-warm-up");
        ClusterLoad load = ClusterLoad.steady(this, cohort, 4_000, SIGNUPS_PER_SECOND);
        Set<UUID> accepted = SignupAttempt.accepted(load.join(Duration.ofMinutes(2)));
        Set<UUID> done = Drain.awaitFullyProcessed(ledger, cohort, accepted, Duration.ofMinutes(3));
        Narrator.say("Warm-up: %d of %d signups fully processed", done.size(), accepted.size());
    }

    /** The consumers a work queue has when every instance consumes from it. */
    static int fullConsumers(String queue) {
        ListenerSettings listeners = queue.equals(SignupTopology.STEP_RESULTS_QUEUE) ? PipelineUnderTest.API_LISTENERS
                : PipelineUnderTest.WORKER_LISTENERS;
        return INSTANCES * listeners.concurrency();
    }

    /**
     * Waits until every work queue has all its consumers again, and answers how long that took;
     * fails after {@code atMost}.
     */
    Duration awaitAllConsumers(Duration atMost) {
        long started = System.nanoTime();
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            Map<String, Integer> live = cluster.liveConsumers(vhost.virtualHost());
            return BrokerQueues.workQueues().stream()
                    .allMatch(queue -> live.getOrDefault(queue, 0) == fullConsumers(queue));
        });
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Injects {@code fault} (a node stopped or killed) and answers how long from its start until
     * every work queue had all its consumers again: "after 2.1 s", "not within 60 s", or "none went
     * missing" when no consumer was connected through the node. The consumers are watched while the
     * fault's command runs, since stopping a node can take longer than its clients take to move.
     */
    String consumersBackAfter(Runnable fault, Duration atMost) {
        long started = System.nanoTime();
        CompletableFuture<Void> injected = CompletableFuture.runAsync(fault);
        AtomicLong injectedAt = new AtomicLong();
        injected.thenRun(() -> injectedAt.set(System.nanoTime()));
        String answer;
        try {
            // Some consumer goes missing, or the fault has been over for 3 s without one going.
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> missingConsumers()
                    || injectedAt.get() != 0 && System.nanoTime() - injectedAt.get() > Duration.ofSeconds(3).toNanos());
            if (!missingConsumers()) {
                answer = "none went missing";
            } else {
                awaitAllConsumers(atMost);
                answer = "after " + Narrator.human(Duration.ofNanos(System.nanoTime() - started));
            }
        } catch (ConditionTimeoutException e) {
            answer = "not within " + Narrator.human(atMost);
        }
        injected.join();
        return answer;
    }

    private boolean missingConsumers() {
        Map<String, Integer> live = cluster.liveConsumers(vhost.virtualHost());
        return BrokerQueues.workQueues().stream().anyMatch(queue -> live.getOrDefault(queue, 0) < fullConsumers(queue));
    }

    /** Stops the services with SIGTERM, then the mocks, and deletes the vhost and its users. */
    @Override
    public void close() {
        try (var stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            instances.stream().flatMap(instance -> instance.all().stream())
                    .forEach(service -> stopping.submit(() -> terminate(service)));
        }
        instances.forEach(ServicePipeline::close);
        clients.forEach(SignupClient::close);
        smtp.stop();
        mocks.stop();
        // The users scripts/provision.sh made for the vhost, named after it.
        Stream.concat(Stream.of(ServicePipeline.API), ServicePipeline.WORKERS.stream())
                .forEach(service -> vhost.deleteUser(vhost.virtualHost() + "." + service));
        vhost.deleteVhost();
    }

    private static void terminate(ServiceProcess service) {
        try {
            service.terminate();
        } catch (RuntimeException e) {
            Narrator.say("SIGTERM to %s failed: %s", service, e.getMessage());
        }
    }
}
