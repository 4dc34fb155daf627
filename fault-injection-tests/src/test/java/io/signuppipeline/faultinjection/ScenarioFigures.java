package io.signuppipeline.faultinjection;

/**
 * What one scenario measured: its row in the summary.
 *
 * @param scenario the scenario's name
 * @param sent signups sent to the API
 * @param created of those, answered 201
 * @param fullyProcessed of those, with all four steps DONE when the scenario stopped waiting
 * @param lost answered 201 but not fully processed when the scenario stopped waiting
 * @param duplicates effects done more than once; null when the scenario did not get that far
 * @param parked messages that went to a dead-letter queue during the scenario, -1 when unknown
 * @param notes the fault as injected, and anything else measured
 */
record ScenarioFigures(String scenario, int sent, int created, int fullyProcessed, int lost,
        DuplicateEffects duplicates, long parked, String notes) {

    /** The row of a scenario that failed before it could count. */
    static ScenarioFigures unfinished(String scenario, Throwable failure) {
        return new ScenarioFigures(scenario, -1, -1, -1, -1, null, -1, "did not finish: " + failure);
    }

    static String markdownHeader() {
        return "| scenario | signups sent | 201s | fully processed | lost | duplicate effects | parked | notes |\n"
                + "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |";
    }

    String markdownRow() {
        return "| " + String.join(" | ", cell(scenario), number(sent), number(created), number(fullyProcessed),
                number(lost), duplicates == null ? "-" : duplicates.summary(), number(parked), cell(notes)) + " |";
    }

    @Override
    public String toString() {
        return "%s: sent %s, 201 %s, fully processed %s, lost %s, parked %s; duplicates: %s; %s".formatted(scenario,
                number(sent), number(created), number(fullyProcessed), number(lost), number(parked),
                duplicates == null ? "-" : duplicates, notes);
    }

    private static String number(long value) {
        return value < 0 ? "-" : String.format("%,d", value);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
