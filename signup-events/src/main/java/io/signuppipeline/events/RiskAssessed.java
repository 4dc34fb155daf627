package io.signuppipeline.events;

import java.util.UUID;

/**
 * The fraud check has scored a new user.
 *
 * @param userId the user, also the signup id
 * @param score 0 (no risk) to 100
 * @param decision {@code APPROVE}, {@code REVIEW} or {@code REJECT}; the last two flag the user
 */
public record RiskAssessed(UUID userId, int score, String decision) {

    /** The CloudEvents {@code type}, also the routing key. */
    public static final String TYPE = "risk.assessed";

    /** Whether a person should look at this user before trusting them. */
    public boolean flagsUser() {
        return "REVIEW".equals(decision) || "REJECT".equals(decision);
    }
}
