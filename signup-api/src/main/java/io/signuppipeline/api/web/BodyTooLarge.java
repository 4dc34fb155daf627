package io.signuppipeline.api.web;

import java.io.IOException;

/**
 * The request body went past the configured limit while it was being read.
 */
class BodyTooLarge extends IOException {

    BodyTooLarge(long limit) {
        super("The request body is larger than " + limit + " bytes.");
    }
}
