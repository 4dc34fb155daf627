/**
 * The event contract shared by the signup API and the workers: envelope, payloads and broker names, no behaviour.
 */
package io.signuppipeline.events;
