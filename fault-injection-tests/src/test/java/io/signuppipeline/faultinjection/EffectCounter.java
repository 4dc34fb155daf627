package io.signuppipeline.faultinjection;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counts a cohort's {@link DuplicateEffects} from what the downstream systems received: WireMock's
 * request journal for Stripe and Slack, GreenMail's inbox for the welcome emails, and the fraud
 * worker's table for the risk assessments.
 */
final class EffectCounter {

    private final WireMockServer mocks;
    private final GreenMail smtp;
    private final SignupLedger ledger;

    EffectCounter(WireMockServer mocks, GreenMail smtp, SignupLedger ledger) {
        this.mocks = mocks;
        this.smtp = smtp;
        this.ledger = ledger;
    }

    DuplicateEffects count(Cohort cohort) {
        Map<String, List<String>> stripeKeysByEmail = mocks.findAll(postRequestedFor(urlPathEqualTo("/stripe/v1/customers")))
                .stream()
                .filter(request -> cohort.domain().equals(domainOf(formField(request, "email"))))
                .collect(Collectors.groupingBy(request -> formField(request, "email"),
                        Collectors.mapping(request -> request.getHeader("Idempotency-Key"), Collectors.toList())));
        long keysSent = stripeKeysByEmail.values().stream().mapToLong(List::size).sum();
        long distinctKeys = stripeKeysByEmail.values().stream().mapToLong(keys -> Set.copyOf(keys).size()).sum();
        return new DuplicateEffects(distinctKeys - stripeKeysByEmail.size(), ledger.extraRiskAssessments(cohort),
                extraEmails(cohort), extraSlackPosts(cohort), keysSent - distinctKeys);
    }

    private long extraEmails(Cohort cohort) {
        List<String> recipients = Arrays.stream(smtp.getReceivedMessagesForDomain(cohort.domain()))
                .map(EffectCounter::recipient).toList();
        return recipients.size() - Set.copyOf(recipients).size();
    }

    /** Slack sees the one-word name and the masked address; the name is unique within the cohort. */
    private long extraSlackPosts(Cohort cohort) {
        List<String> posts = mocks.findAll(postRequestedFor(urlPathEqualTo("/slack/webhook"))).stream()
                .map(LoggedRequest::getBodyAsString)
                .filter(body -> body.contains("@" + cohort.domain() + ")"))
                .toList();
        return posts.size() - Set.copyOf(posts).size();
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException("Unreadable message in GreenMail", e);
        }
    }

    private static String formField(LoggedRequest request, String name) {
        for (String pair : request.getBodyAsString().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1);
    }
}
