package io.signuppipeline.api.web;

import java.io.IOException;

/**
 * A JSON request body that is not well-formed UTF-8, or not one that every reader takes for UTF-8.
 */
class InvalidUtf8 extends IOException {

    InvalidUtf8(String detail) {
        super(detail);
    }
}
