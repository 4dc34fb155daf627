package io.signuppipeline.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TooManySignupsTest {

    @Test
    void saysOneSecondInTheSingular() {
        assertThat(new TooManySignups(1).getMessage())
                .isEqualTo("Too many signups from your address; try again in 1 second.");
    }

    @Test
    void saysSeveralSecondsInThePlural() {
        assertThat(new TooManySignups(7).getMessage())
                .isEqualTo("Too many signups from your address; try again in 7 seconds.");
    }
}
