/**
 * How far the pipeline has got: each worker's queues as the broker reports them, its results, and the
 * outbox backlog; where the figures come from (the broker's management API, the tables) stays inside.
 */
package io.signuppipeline.api.pipeline;
