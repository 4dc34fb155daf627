package io.signuppipeline.api.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The body of {@code POST /dashboard/workers/{worker}/replay}.
 *
 * @param password the workers' admin password, passed on to the worker and kept nowhere
 * @param limit at most this many parked messages are replayed; 1000 when left out
 */
record ReplayRequest(@NotBlank String password, @Min(1) @Max(10_000) Integer limit) {

    ReplayRequest {
        limit = limit == null ? 1000 : limit;
    }
}
