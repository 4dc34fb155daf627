package io.signuppipeline.api.signup;

import io.swagger.v3.oas.annotations.Hidden;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /dashboard/demo/burst?count=N}, only with the {@code demo} profile: N signups at once,
 * made on the server through the same {@link Signups#register} as {@code POST /api/signups}, so people
 * can watch a burst fill the queues and each worker drain its own at its own pace.
 *
 * <p>It answers 202 at once; the signups are written in the background, a few transactions side by
 * side, which is as fast as the database takes them. Not rate-limited: the profile is for a demo.
 */
@Hidden
@Profile("demo")
@RestController
class DemoBurst {

    static final int MAX = 5000;
    private static final Logger log = LoggerFactory.getLogger(DemoBurst.class);
    /** Below Hikari's default pool of 10, so API requests still get a connection during a burst. */
    private static final int CONCURRENCY = 6;
    private static final ClientInfo DEMO_CLIENT = new ClientInfo("127.0.0.1", "signup-api demo burst");

    private final Signups signups;

    DemoBurst(Signups signups) {
        this.signups = signups;
    }

    @PostMapping("/dashboard/demo/burst")
    ResponseEntity<Map<String, Object>> burst(@RequestParam int count) {
        if (count < 1 || count > MAX) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "count must be from 1 to " + MAX + ".");
        }
        String burst = UUID.randomUUID().toString().substring(0, 8);
        Thread.ofVirtual().name("demo-burst-" + burst).start(() -> fire(burst, count));
        return ResponseEntity.accepted().body(Map.of("burst", burst, "count", count));
    }

    private void fire(String burst, int count) {
        long started = System.nanoTime();
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService writers = Executors.newFixedThreadPool(CONCURRENCY, Thread.ofVirtual().factory())) {
            for (int i = 1; i <= count; i++) {
                SignupRequest request = new SignupRequest("demo-" + burst + "-" + i + "@example.com", "Demo " + i);
                writers.execute(() -> {
                    try {
                        signups.register(request, DEMO_CLIENT);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        log.warn("Demo burst {}: a signup failed: {}", burst, e.toString());
                    }
                });
            }
        }
        log.info("Demo burst {}: {} signups written, {} failed, in {} ms", burst, count - failed.get(), failed.get(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
