package io.signuppipeline.api.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds the API's {@code application/problem+json} answers, each with its {@link ProblemType}. */
final class Problems {

    private Problems() {
    }

    static ProblemDetail of(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }

    static ResponseEntity<Object> answer(ProblemType type, String detail) {
        return answer(of(type, detail));
    }

    static ResponseEntity<Object> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** The answer with a {@code Retry-After} of {@code seconds}. */
    static ResponseEntity<Object> retryLater(ProblemDetail problem, long seconds) {
        return ResponseEntity.status(problem.getStatus())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .body(problem);
    }
}
