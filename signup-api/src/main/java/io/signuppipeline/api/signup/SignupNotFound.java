package io.signuppipeline.api.signup;

import java.util.UUID;

/**
 * No signup has this id.
 */
public class SignupNotFound extends RuntimeException {

    SignupNotFound(UUID id) {
        super("No signup has the id " + id + ".");
    }
}
