package io.signuppipeline.api.status;

import io.signuppipeline.api.status.SignupSteps.StepKey;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.repository.Repository;

/**
 * Reads the {@code signup_steps} table.
 */
interface SignupStepRepository extends Repository<SignupStep, StepKey> {

    List<SignupStep> findBySignupIdInOrderByStep(Collection<UUID> signupIds);
}
