/**
 * The live dashboard at {@code /}: the page, its server-sent event stream of signups and pipeline
 * figures, and the replay of a worker's parked messages; how the stream is fed and the workers are
 * reached stays inside.
 */
package io.signuppipeline.api.dashboard;
