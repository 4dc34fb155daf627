package io.signuppipeline.api.dashboard;

import io.signuppipeline.api.status.KnownSteps;
import io.signuppipeline.api.status.Step;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard: the page at {@code /}, its event stream, and replaying a worker's parked messages
 * with the admin password the person types in. Left out of the OpenAPI description, which is the
 * signup API's; these serve the page.
 */
@Hidden
@Controller
class DashboardController {

    private final DashboardStream stream;
    private final WorkerEndpoints workers;
    private final KnownSteps known;
    private final boolean demo;
    private final int latest;

    DashboardController(DashboardStream stream, WorkerEndpoints workers, KnownSteps known, Environment environment,
            DashboardProperties properties) {
        this.stream = stream;
        this.workers = workers;
        this.known = known;
        this.demo = environment.matchesProfiles("demo");
        this.latest = properties.latest();
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    String page(Model model) {
        model.addAttribute("steps", known.active());
        model.addAttribute("demo", demo);
        model.addAttribute("latest", latest);
        return "dashboard";
    }

    @GetMapping(path = "/dashboard/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter events() {
        return stream.open();
    }

    @PostMapping(path = "/dashboard/workers/{worker}/replay", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, Integer> replay(@PathVariable String worker, @Valid @RequestBody ReplayRequest request) {
        Step step = known.byService(worker).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "No worker named " + worker + " has announced a step."));
        return Map.of("replayed", workers.replay(step, request.password(), request.limit()));
    }
}
