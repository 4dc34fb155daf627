/**
 * What every consuming service shares: its queue with broker-side retry and a dead-letter queue.
 */
package io.signuppipeline.messaging.consumer;
