/**
 * How the API's transactions behave when PostgreSQL goes away in the middle of one.
 */
package io.signuppipeline.api.database;
