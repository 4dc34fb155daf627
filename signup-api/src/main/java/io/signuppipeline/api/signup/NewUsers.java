package io.signuppipeline.api.signup;

/**
 * The one write of a signup's user row, on the POST path.
 */
interface NewUsers {

    /**
     * Inserts the user unless the address is already registered in any letter case.
     *
     * @return whether the row was inserted
     */
    boolean insertIfEmailFree(User user);
}
