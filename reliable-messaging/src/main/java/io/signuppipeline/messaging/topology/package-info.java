/**
 * Turns the contract's broker names into declared exchanges, queues and bindings.
 */
package io.signuppipeline.messaging.topology;
