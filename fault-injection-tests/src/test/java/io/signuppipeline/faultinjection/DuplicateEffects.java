package io.signuppipeline.faultinjection;

/**
 * Downstream effects that happened more than once for one signup, counted where they landed.
 *
 * @param stripeCustomers Idempotency-Keys beyond the first sent to Stripe for one signup: each would
 *     be a second customer (the same key sent again is the same customer, see {@code stripeKeyResent})
 * @param riskAssessments rows beyond the first in {@code fraud.risk_assessments} for one signup
 * @param welcomeEmails welcome emails beyond the first to one recipient, in GreenMail
 * @param slackPosts Slack posts beyond the first announcing one signup
 * @param stripeKeyResent Stripe calls that repeated a key already sent: redeliveries the key made harmless
 */
record DuplicateEffects(long stripeCustomers, long riskAssessments, long welcomeEmails, long slackPosts,
        long stripeKeyResent) {

    /** The cell of the summary table. */
    String summary() {
        return "Stripe %d, risk %d, email %d, Slack %d".formatted(stripeCustomers, riskAssessments, welcomeEmails,
                slackPosts);
    }

    @Override
    public String toString() {
        return "second Stripe customers %d (same Idempotency-Key re-sent %d times), extra risk assessments %d, "
                .formatted(stripeCustomers, stripeKeyResent, riskAssessments)
                + "extra welcome emails %d, extra Slack posts %d".formatted(welcomeEmails, slackPosts);
    }
}
