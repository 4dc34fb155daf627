package io.signuppipeline.api.signup;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.util.IdGenerator;

/**
 * UUIDv7 ids: unique without coordination and sorted by creation time, so new rows land at the end
 * of the primary-key index instead of at random pages.
 */
@Component
class TimeOrderedIds implements IdGenerator {

    private final TimeBasedEpochGenerator generator = Generators.timeBasedEpochGenerator();

    @Override
    public UUID generateId() {
        return generator.generate();
    }
}
