package io.signuppipeline.api.signup;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The one write of the signups' user rows, on the POST path: a group of them at a time.
 */
interface NewUsers {

    /**
     * Inserts each user whose address is not already registered in any letter case, neither before
     * nor earlier in the list.
     *
     * @return the ids of the rows inserted
     */
    Set<UUID> insertWhereEmailFree(List<User> users);
}
