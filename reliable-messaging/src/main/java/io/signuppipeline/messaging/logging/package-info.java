/**
 * How personal data is kept out of logs.
 */
package io.signuppipeline.messaging.logging;
