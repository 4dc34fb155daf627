package io.signuppipeline.api.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BrokerQueuesTests {

    @Test
    void theDefaultVhostTravelsAsOneEncodedPathSegment() {
        assertThat(BrokerQueues.queuesUri(URI.create("http://localhost:15672"), "/"))
                .hasToString("http://localhost:15672/api/queues/%2F?columns=" + QueueFigures.COLUMNS);
    }

    @Test
    void aManagementApiBehindAPathPrefixKeepsIt() {
        assertThat(BrokerQueues.queuesUri(URI.create("https://rabbit.example.com/admin/"), "signup").toString())
                .startsWith("https://rabbit.example.com/admin/api/queues/signup?");
    }
}
