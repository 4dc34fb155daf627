package io.signuppipeline.faultinjection;

/**
 * The signups of one scenario, told apart from every other scenario's by their email domain and
 * from each other by a one-word name: the welcome email, the Slack post (which shows the name and
 * the masked address) and the Stripe request can each be traced back to a single signup.
 *
 * @param slug the scenario's short name, e.g. {@code workers-killed}
 */
record Cohort(String slug) {

    String domain() {
        return slug + ".example.com";
    }

    String email(int index) {
        return "signup-%05d@%s".formatted(index, domain());
    }

    /** One word, because Slack's announcement shortens a two-word name to a first name and an initial. */
    String name(int index) {
        return "%s-%05d".formatted(slug, index);
    }

    /** What a LIKE pattern on {@code users.email} needs to select this cohort. */
    String emailPattern() {
        return "%@" + domain();
    }
}
