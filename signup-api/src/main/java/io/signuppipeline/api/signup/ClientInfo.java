package io.signuppipeline.api.signup;

/**
 * What the API knows about the client that signed up, for the steps that assess risk from it.
 *
 * @param ip the client address as the server saw it: the TCP peer, or with
 *        {@code server.forward-headers-strategy=native} the address a trusted proxy put in
 *        {@code X-Forwarded-For}; the per-client rate limit uses the same address
 * @param userAgent the User-Agent header, or null
 */
record ClientInfo(String ip, String userAgent) {
}
