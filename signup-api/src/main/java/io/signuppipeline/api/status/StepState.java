package io.signuppipeline.api.status;

/**
 * Where one worker's part of a signup stands.
 */
public enum StepState {
    PENDING,
    DONE,
    FAILED
}
