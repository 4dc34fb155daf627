package io.signuppipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionPoolsTest {

    @Test
    void readsThePoolsMaximumFromAScrape() {
        String scrape = """
                # HELP hikaricp_connections_active Active connections
                # TYPE hikaricp_connections_active gauge
                hikaricp_connections_active{pool="HikariPool-1"} 3.0
                # HELP hikaricp_connections_max Max connections
                # TYPE hikaricp_connections_max gauge
                hikaricp_connections_max{pool="HikariPool-1"} 12.0
                hikaricp_connections_min{pool="HikariPool-1"} 1.0
                """;

        assertThat(ConnectionPools.maximumIn(scrape)).isEqualTo(12);
    }

    @Test
    void aScrapeWithoutThePoolIsAnError() {
        assertThatThrownBy(() -> ConnectionPools.maximumIn("hikaricp_connections_min{pool=\"HikariPool-1\"} 1.0\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("hikaricp_connections_max");
    }
}
