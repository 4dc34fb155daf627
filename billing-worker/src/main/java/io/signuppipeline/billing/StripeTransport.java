package io.signuppipeline.billing;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpContent;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * stripe-java's requests, sent through the worker's downstream HTTP client.
 *
 * <p>stripe-java's own transport builds its {@code X-Stripe-Client-User-Agent} header anew for
 * every request, and reads a properties file out of the Gson jar to do it: 14% of this worker's
 * CPU in a profile of a 10,000-signup burst. The header describes the JVM and the library, which
 * do not change while the worker runs, so this transport builds it once. Everything else, the
 * request, its headers and the handling of the answer, stays stripe-java's.
 */
final class StripeTransport extends HttpClient {

    private final ClientHttpRequestFactory requests;
    private final String clientUserAgent = buildXStripeClientUserAgentString();

    StripeTransport(ClientHttpRequestFactory requests) {
        this.requests = requests;
    }

    @Override
    public StripeResponse request(StripeRequest request) throws ApiConnectionException {
        try {
            ClientHttpRequest call = requests.createRequest(request.url().toURI(),
                    HttpMethod.valueOf(request.method().name()));
            request.headers().map().forEach((name, values) -> call.getHeaders().addAll(name, values));
            call.getHeaders().set("User-Agent", buildUserAgentString(request));
            call.getHeaders().set("X-Stripe-Client-User-Agent", clientUserAgent);
            HttpContent content = request.content();
            if (content != null) {
                call.getHeaders().set("Content-Type", content.contentType());
                call.getBody().write(content.byteArrayContent());
            }
            try (ClientHttpResponse answer = call.execute(); InputStream body = answer.getBody()) {
                return new StripeResponse(answer.getStatusCode().value(),
                        HttpHeaders.of(answer.getHeaders().asMultiValueMap()),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | URISyntaxException e) {
            throw new ApiConnectionException("Could not reach Stripe at " + request.url() + ": " + e, e);
        }
    }
}
