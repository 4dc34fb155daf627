package io.signuppipeline.messaging.ids;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;
import org.springframework.util.IdGenerator;

/**
 * UUIDv7 ids: unique without coordination and sorted by creation time, so new rows land at the end
 * of the primary-key index instead of at random pages.
 */
public class TimeOrderedIds implements IdGenerator {

    private final TimeBasedEpochGenerator generator = Generators.timeBasedEpochGenerator();

    @Override
    public UUID generateId() {
        return generator.generate();
    }
}
