/**
 * The API's HTTP edge: strict JSON, the body size cap and the mapping of every failure to problem+json.
 */
package io.signuppipeline.api.web;
