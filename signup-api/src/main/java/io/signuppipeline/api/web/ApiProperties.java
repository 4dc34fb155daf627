package io.signuppipeline.api.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxRequestBody the largest request body accepted; a signup needs well under 1 KB
 */
@ConfigurationProperties("signup.api")
record ApiProperties(@DefaultValue("16KB") DataSize maxRequestBody) {
}
