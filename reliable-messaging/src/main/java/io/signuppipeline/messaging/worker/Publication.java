package io.signuppipeline.messaging.worker;

/**
 * An event a step publishes beside its result, such as a risk assessment.
 *
 * @param type the event type
 * @param data the payload record
 * @param routingKey where it goes on the signup exchange
 */
public record Publication(String type, Object data, String routingKey) {
}
