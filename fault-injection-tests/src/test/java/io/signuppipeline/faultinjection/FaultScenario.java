package io.signuppipeline.faultinjection;

/**
 * One way production breaks, played against the running pipeline under load. A scenario records
 * its figures in the summary before it asserts, so a failing scenario still shows what it measured.
 */
interface FaultScenario {

    /** The scenario's row title in the summary. */
    String name();

    void run(PipelineUnderTest pipeline, FaultSummary summary);
}
