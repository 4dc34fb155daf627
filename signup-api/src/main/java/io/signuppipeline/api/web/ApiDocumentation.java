package io.signuppipeline.api.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}): springdoc
 * reads the operations from the controllers; this adds what it cannot know, an example signup and,
 * for every problem type, an example answer under the operations that can give it. The examples
 * are built from {@link ProblemType} itself, so a new type cannot be left undocumented.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String SIGNUPS = "/api/signups";
    private static final String SIGNUP = "/api/signups/{id}";
    private static final String PIPELINE = "/api/pipeline";
    private static final List<String> EVERY = List.of(SIGNUPS, SIGNUP, PIPELINE);

    /** Where each problem type can come from, and what its detail says in the example. */
    private static final Map<ProblemType, Sample> SAMPLES = samples();

    @Bean
    OpenApiCustomizer signupApiDocumentation() {
        return openApi -> {
            openApi.info(new Info().title("Signup pipeline API").version("v1").description("""
                    Sign users up in one database transaction and follow each signup's asynchronous \
                    steps, whichever workers have announced them (for example a welcome email, a fraud \
                    check, a Stripe customer and a Slack message). \
                    Every error is application/problem+json with a stable `type`."""));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.components(components);
            for (ProblemType type : ProblemType.values()) {
                components.addExamples(type.name(), new Example().summary(type.title())
                        .value(example(type, SAMPLES.get(type).detail())));
            }
            operation(openApi, SIGNUPS, PathItem::getPost).ifPresent(ApiDocumentation::documentCreate);
            for (String path : EVERY) {
                operations(openApi, path).forEach(operation -> document(operation, path));
            }
        };
    }

    /** POST answers 201 with a Location, which springdoc cannot see behind a ResponseEntity. */
    private static void documentCreate(Operation post) {
        post.getRequestBody().getContent().forEach((mediaType, content) -> content.addExamples("ada",
                new Example().summary("A new signup").value(Map.of("email", "ada@example.com", "name", "Ada Lovelace"))));
        ApiResponse ok = post.getResponses().remove("200");
        if (ok != null) {
            post.getResponses().addApiResponse("201", ok.description(
                    "Created: the user row and its user.signed_up event are committed; Location names the signup"));
        }
    }

    private static void document(Operation operation, String path) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.responses(responses);
        Map<Integer, Map<String, Example>> byStatus = new LinkedHashMap<>();
        SAMPLES.forEach((type, sample) -> {
            if (sample.paths().contains(path)) {
                byStatus.computeIfAbsent(type.status().value(), status -> new LinkedHashMap<>())
                        .put(type.name(), new Example().$ref("#/components/examples/" + type.name()));
            }
        });
        byStatus.forEach((status, examples) -> {
            MediaType problem = new MediaType();
            examples.forEach(problem::addExamples);
            ApiResponse response = responses.computeIfAbsent(String.valueOf(status),
                    code -> new ApiResponse().description(examples.size() == 1
                            ? SAMPLES.keySet().stream().filter(t -> examples.containsKey(t.name())).findFirst()
                                    .map(ProblemType::title).orElse("Problem")
                            : "One of the problems below"));
            Content content = response.getContent() == null ? new Content() : response.getContent();
            content.remove("*/*");
            content.addMediaType(PROBLEM_JSON, problem);
            response.content(content);
        });
    }

    private static Map<String, Object> example(ProblemType type, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.uri().toString());
        problem.put("title", type.title());
        problem.put("status", type.status().value());
        problem.put("detail", detail);
        return problem;
    }

    private static java.util.Optional<Operation> operation(OpenAPI openApi, String path,
            Function<PathItem, Operation> method) {
        return java.util.Optional.ofNullable(openApi.getPaths()).map(paths -> paths.get(path)).map(method);
    }

    private static List<Operation> operations(OpenAPI openApi, String path) {
        PathItem item = openApi.getPaths() == null ? null : openApi.getPaths().get(path);
        return item == null ? List.of() : item.readOperations();
    }

    private static Map<ProblemType, Sample> samples() {
        Map<ProblemType, Sample> samples = new EnumMap<>(ProblemType.class);
        samples.put(ProblemType.MALFORMED_REQUEST, new Sample(List.of(SIGNUPS),
                "The body is not a JSON object with the expected fields: unexpected character at line 1"));
        samples.put(ProblemType.INVALID_FIELDS, new Sample(List.of(SIGNUPS), "email: must be a well-formed address"));
        samples.put(ProblemType.INVALID_PARAMETER, new Sample(List.of(SIGNUP), "id: not a UUID"));
        samples.put(ProblemType.BAD_REQUEST, new Sample(List.of(SIGNUPS), "The request could not be read"));
        samples.put(ProblemType.EMAIL_ALREADY_REGISTERED, new Sample(List.of(SIGNUPS),
                "An account with this email address exists already"));
        samples.put(ProblemType.SIGNUP_NOT_FOUND, new Sample(List.of(SIGNUP), "No signup with this id"));
        samples.put(ProblemType.NOT_FOUND, new Sample(List.of(), "No resource at this path"));
        samples.put(ProblemType.METHOD_NOT_ALLOWED, new Sample(List.of(), "DELETE is not supported here"));
        samples.put(ProblemType.NOT_ACCEPTABLE, new Sample(EVERY, "Answers are application/json"));
        samples.put(ProblemType.PAYLOAD_TOO_LARGE, new Sample(List.of(SIGNUPS), "The body may be at most 16384 bytes"));
        samples.put(ProblemType.UNSUPPORTED_MEDIA_TYPE, new Sample(List.of(SIGNUPS),
                "Send application/json in UTF-8"));
        samples.put(ProblemType.TOO_MANY_REQUESTS, new Sample(List.of(SIGNUPS),
                "Too many signups from this client; retry after the Retry-After seconds"));
        samples.put(ProblemType.DATABASE_UNAVAILABLE, new Sample(List.of(SIGNUPS, SIGNUP),
                "The database is unavailable; nothing was saved. Retry after the Retry-After seconds"));
        samples.put(ProblemType.SERVICE_BUSY, new Sample(List.of(SIGNUPS, SIGNUP),
                "The service has more requests than it can take right now; nothing was saved. Retry after the "
                        + "Retry-After seconds"));
        samples.put(ProblemType.QUEUE_FIGURES_UNAVAILABLE, new Sample(List.of(PIPELINE),
                "The broker's management API did not answer"));
        // The dashboard's replay: its endpoints are left out of the description, so no path lists these.
        samples.put(ProblemType.REPLAY_REFUSED, new Sample(List.of(), "email-worker refused the admin credential"));
        samples.put(ProblemType.WORKER_UNAVAILABLE, new Sample(List.of(), "email-worker did not replay"));
        samples.put(ProblemType.SERVICE_UNAVAILABLE, new Sample(List.of(), "The service is unavailable"));
        samples.put(ProblemType.INTERNAL_ERROR, new Sample(EVERY, "Something went wrong on our side"));
        return samples;
    }

    /**
     * @param paths the operations that can answer with the problem; empty for problems any unknown
     *        path or method can get, which are documented as components only
     * @param detail the example's detail
     */
    private record Sample(List<String> paths, String detail) {
    }
}
