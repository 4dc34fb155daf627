/**
 * The per-client limit on signups: hides the token buckets and how clients are told apart.
 */
package io.signuppipeline.api.ratelimit;
