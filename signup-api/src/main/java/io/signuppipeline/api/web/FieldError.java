package io.signuppipeline.api.web;

/**
 * One field's problem, inside a problem+json answer's {@code errors} list.
 *
 * @param field the JSON field name
 * @param detail what is wrong with it
 */
record FieldError(String field, String detail) {
}
