/**
 * How the API's transactions behave when PostgreSQL is busy, and when it goes away in the middle of one.
 */
package io.signuppipeline.api.database;
