/**
 * Test support that gives every test run real, fresh infrastructure; how it is found stays inside.
 */
package io.signuppipeline.testing;
