/**
 * Ids for rows and events.
 */
package io.signuppipeline.messaging.ids;
