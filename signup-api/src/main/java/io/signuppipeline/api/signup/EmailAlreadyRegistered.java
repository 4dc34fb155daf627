package io.signuppipeline.api.signup;

/**
 * Somebody already signed up with this address, in some letter case.
 */
public class EmailAlreadyRegistered extends RuntimeException {

    EmailAlreadyRegistered() {
        super("This email address is already registered.");
    }
}
