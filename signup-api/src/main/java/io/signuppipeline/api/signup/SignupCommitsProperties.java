package io.signuppipeline.api.signup;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the POSTs' rows are committed: by a few writers, each committing the signups waiting at that
 * moment in one transaction (docs/architecture.md, "Committing signups in groups").
 *
 * @param writers how many transactions of signups may be open at once; each holds one of the API's
 *        database connections while it commits, so keep it below {@code spring.datasource.hikari.maximum-pool-size}
 * @param groupSize the most signups one transaction takes; more wait for the next
 */
@ConfigurationProperties("signup.api.commits")
@Validated
record SignupCommitsProperties(
        @DefaultValue("4") @Min(1) @Max(64) int writers,
        @DefaultValue("32") @Min(1) @Max(1000) int groupSize) {
}
