package io.signuppipeline.api.pipeline;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The queues of the API's vhost as RabbitMQ's management HTTP API reports them, in one request,
 * over the HTTP client Spring Boot configures (Apache HttpClient 5, which speaks HTTP/1.1: the JDK
 * client's first request offers an h2c upgrade, which the management API answers with a broken
 * response).
 */
@Component
class BrokerQueues {

    private static final ParameterizedTypeReference<List<QueueFigures>> QUEUE_LIST =
            new ParameterizedTypeReference<>() {
            };

    private final RestClient management;
    private final URI queues;

    BrokerQueues(RestClient.Builder http, ClientHttpRequestFactoryBuilder<?> requests, PipelineProperties properties) {
        PipelineProperties.Management api = properties.management();
        this.management = http.clone()
                .requestFactory(requests.build(HttpClientSettings.defaults().withTimeouts(api.timeout(), api.timeout())))
                .defaultHeaders(headers -> headers.setBasicAuth(api.username(), api.password()))
                .build();
        this.queues = queuesUri(api.url(), api.virtualHost());
    }

    /**
     * {@code /api/queues/{vhost}} with the vhost as one path segment: the default vhost {@code /}
     * must travel as {@code %2F}.
     */
    static URI queuesUri(URI base, String virtualHost) {
        return UriComponentsBuilder.fromUri(base)
                .pathSegment("api", "queues", virtualHost)
                .queryParam("columns", QueueFigures.COLUMNS)
                .build()
                .encode()
                .toUri();
    }

    /**
     * Every queue of the vhost by name; a queue that does not exist is simply not there.
     *
     * @throws BrokerFiguresUnavailable when the management API cannot be asked or does not answer properly
     */
    Map<String, QueueFigures> byName() {
        try {
            List<QueueFigures> listed = management.get().uri(queues).retrieve().body(QUEUE_LIST);
            return listed == null ? Map.of() : listed.stream()
                    .collect(Collectors.toMap(QueueFigures::name, Function.identity()));
        } catch (RestClientException e) {
            throw new BrokerFiguresUnavailable("RabbitMQ management API at " + queues.getHost() + ":"
                    + queues.getPort() + " failed: " + NestedExceptionUtils.getMostSpecificCause(e), e);
        }
    }
}
