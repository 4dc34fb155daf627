/**
 * Each signup's per-step status, fed by the workers' result events.
 */
package io.signuppipeline.api.status;
