package io.signuppipeline.messaging.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a transaction waits for a database connection.
 *
 * @param busyPoolWait how long a transaction keeps asking for a connection while every pooled one
 *        is in use and the database still accepts new ones; the last try may end up to one Hikari
 *        connection timeout later. A database that refuses connections fails the transaction after
 *        Hikari's connection timeout alone.
 */
@ConfigurationProperties("messaging.database")
public record DatabaseProperties(@DefaultValue("8s") Duration busyPoolWait) {
}
