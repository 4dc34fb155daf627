package io.signuppipeline.api.pipeline;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/pipeline}: the figures an operator looks at first when signups are slow to finish.
 */
@RestController
class PipelineController {

    private final Pipeline pipeline;

    PipelineController(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    @GetMapping(path = "/api/pipeline", produces = MediaType.APPLICATION_JSON_VALUE)
    PipelineView get() {
        return pipeline.now();
    }
}
