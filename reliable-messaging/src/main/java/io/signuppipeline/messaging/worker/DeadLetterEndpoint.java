package io.signuppipeline.messaging.worker;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /admin/dead-letters/replay?limit=N}: moves parked messages back to the work queue.
 */
@RestController
class DeadLetterEndpoint {

    private final DeadLetterReplay replay;

    DeadLetterEndpoint(DeadLetterReplay replay) {
        this.replay = replay;
    }

    @PostMapping("/admin/dead-letters/replay")
    Map<String, Integer> replay(@RequestParam(defaultValue = "1000") int limit) {
        if (limit < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be at least 1");
        }
        return Map.of("replayed", replay.replay(limit));
    }
}
