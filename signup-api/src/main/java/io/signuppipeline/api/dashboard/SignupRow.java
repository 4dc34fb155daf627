package io.signuppipeline.api.dashboard;

import io.signuppipeline.api.status.StepStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One signup as the dashboard lists it: anyone who opens the page sees it, so the address is masked
 * the way the logs mask it and the name is left out.
 *
 * @param id the signup id
 * @param email the masked address, {@code a***@example.com}
 * @param status ACTIVE, or FLAGGED by a risk assessment
 * @param createdAt when the signup was accepted
 * @param steps its steps, as {@code GET /api/signups/{id}} shows them
 */
record SignupRow(UUID id, String email, String status, Instant createdAt, Map<String, StepStatus> steps) {
}
