package io.signuppipeline.api.pipeline;

import io.signuppipeline.api.status.KnownSteps;
import io.signuppipeline.api.status.Step;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/pipeline}: the figures an operator looks at first when signups are slow to finish;
 * {@code GET /api/steps}: the steps the workers have announced, retired ones too.
 */
@RestController
@Tag(name = "Pipeline", description = "The steps the workers have announced, and how their queues are doing")
class PipelineController {

    private final Pipeline pipeline;
    private final KnownSteps known;

    PipelineController(Pipeline pipeline, KnownSteps known) {
        this.pipeline = pipeline;
        this.known = known;
    }

    @GetMapping(path = "/api/steps", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Step> steps() {
        return known.all();
    }

    @GetMapping(path = "/api/pipeline", produces = MediaType.APPLICATION_JSON_VALUE)
    PipelineView get() {
        return pipeline.now();
    }
}
