package io.signuppipeline.api.signup;

/**
 * What the API knows about the client that signed up, for the fraud check.
 *
 * @param ip the client address as the server saw it
 * @param userAgent the User-Agent header, or null
 */
record ClientInfo(String ip, String userAgent) {
}
