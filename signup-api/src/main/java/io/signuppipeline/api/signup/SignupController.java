package io.signuppipeline.api.signup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.api.status.KnownSteps;
import io.signuppipeline.api.status.SignupSteps;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/signups}: create a signup, read one back.
 */
@RestController
@Tag(name = "Signups", description = "Sign a user up, then follow the signup's steps")
@RequestMapping(path = "/api/signups", produces = MediaType.APPLICATION_JSON_VALUE)
class SignupController {

    private final Signups signups;
    private final SignupSteps steps;
    private final KnownSteps known;
    private final Counter accepted;

    SignupController(Signups signups, SignupSteps steps, KnownSteps known, MeterRegistry meters) {
        this.signups = signups;
        this.steps = steps;
        this.known = known;
        // Not "signups.created": Prometheus reserves the _created suffix and would drop it.
        this.accepted = Counter.builder("signups.accepted")
                .description("Signups committed: a user row and its user.signed_up event")
                .register(meters);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SignupView> create(@Valid @RequestBody SignupRequest request, HttpServletRequest http) {
        User user = signups.register(request, new ClientInfo(http.getRemoteAddr(), http.getHeader(HttpHeaders.USER_AGENT)));
        accepted.increment(); // after the commit: register's transaction has ended
        // No second read: the signup is saved, and its answer must not depend on the database any more.
        return ResponseEntity.created(URI.create("/api/signups/" + user.id()))
                .body(SignupView.of(user, known.pendingAt(user.createdAt())));
    }

    @GetMapping("/{id}")
    SignupView get(@PathVariable UUID id) {
        User user = signups.find(id);
        return SignupView.of(user, steps.of(id, user.createdAt()));
    }
}
