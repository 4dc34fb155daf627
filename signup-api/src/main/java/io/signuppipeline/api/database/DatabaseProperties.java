package io.signuppipeline.api.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a request waits for the database.
 *
 * @param busyPoolWait how long a transaction keeps asking for a connection while every pooled one
 *        is in use and the database still accepts new ones; the last try may end up to one Hikari
 *        connection timeout later. A database that refuses connections is answered with a 503 after
 *        Hikari's connection timeout alone.
 */
@ConfigurationProperties("signup.database")
record DatabaseProperties(@DefaultValue("8s") Duration busyPoolWait) {
}
