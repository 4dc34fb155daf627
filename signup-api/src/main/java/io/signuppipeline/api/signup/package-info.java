/**
 * Signing up: the endpoint, the one-transaction write of user and event, and reading a signup back.
 */
package io.signuppipeline.api.signup;
