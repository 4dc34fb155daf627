/**
 * Test support that gives every test run real, fresh infrastructure and starts the pipeline's
 * services as processes on it; how either is found stays inside.
 */
package io.signuppipeline.testing;
