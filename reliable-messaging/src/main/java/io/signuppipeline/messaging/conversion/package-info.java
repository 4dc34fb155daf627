/**
 * How message bodies become contract records and back, the same in every service.
 */
package io.signuppipeline.messaging.conversion;
