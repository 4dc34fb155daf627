package io.signuppipeline.bench;

import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Posts signups to the API over HTTP/1.1, as browsers would, and answers the status code.
 *
 * <p>Apache HttpClient, blocking on virtual threads: the load generator shares the machine's two
 * cores with what it measures, and the JDK's asynchronous client took twice the CPU per request.
 */
final class SignupClient implements AutoCloseable {

    /** What {@link #signUp} answers when no answer came: a refused connection or a timeout. */
    static final int NO_ANSWER = -1;
    /** Connections kept open to the API: more than any measurement keeps waiting at once. */
    private static final int CONNECTIONS = 2_000;

    private final URI signups;
    private final CloseableHttpClient http = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(CONNECTIONS).setMaxConnPerRoute(CONNECTIONS)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(2)).setSocketTimeout(Timeout.ofSeconds(10))
                            .build())
                    .build())
            .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build())
            .disableAutomaticRetries()
            .build();

    SignupClient(String apiBaseUrl) {
        this.signups = URI.create(apiBaseUrl + "/api/signups");
    }

    /**
     * Signs up the {@code index}th user of a cohort, as {@code <cohort>-<index>@bench.example.com};
     * answers the status code or {@link #NO_ANSWER}.
     */
    int signUp(String cohort, long index) {
        String email = cohort + "-" + index + "@bench.example.com";
        HttpPost request = new HttpPost(signups);
        request.setEntity(new StringEntity("{\"email\":\"" + email + "\",\"name\":\"Bench User " + index + "\"}",
                ContentType.APPLICATION_JSON));
        try {
            return http.execute(request, answer -> {
                EntityUtils.consume(answer.getEntity());
                return answer.getCode();
            });
        } catch (IOException e) {
            return NO_ANSWER;
        }
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
