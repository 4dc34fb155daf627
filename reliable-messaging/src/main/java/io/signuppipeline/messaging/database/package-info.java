/**
 * How every service's transactions behave when PostgreSQL is busy, and when it goes away in the
 * middle of one.
 */
package io.signuppipeline.messaging.database;
