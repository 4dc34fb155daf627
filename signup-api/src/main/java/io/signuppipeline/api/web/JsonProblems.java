package io.signuppipeline.api.web;

import io.signuppipeline.events.EventJson;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says in plain words what is wrong with a request body that the strict JSON parser refused.
 */
final class JsonProblems {

    private JsonProblems() {
    }

    static String describe(JacksonException e) {
        String field = field(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'; a signup has only email and name.";
        }
        if (e instanceof MismatchedInputException && field != null) {
            return "Field '" + field + "' has the wrong JSON type; it must be a string.";
        }
        if (e instanceof MismatchedInputException) {
            return "The request body must be a JSON object with email and name.";
        }
        if (e instanceof StreamReadException) {
            return "The request body is not valid JSON: " + EventJson.problem(e) + where(e.getLocation()) + ".";
        }
        return "The request body could not be read: " + EventJson.problem(e);
    }

    static List<FieldError> fieldErrors(JacksonException e) {
        String field = field(e);
        if (field == null) {
            return List.of();
        }
        if (e instanceof UnrecognizedPropertyException) {
            return List.of(new FieldError(field, "is not a field of a signup"));
        }
        if (e instanceof MismatchedInputException) {
            return List.of(new FieldError(field, "must be a string"));
        }
        return List.of();
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String field(JacksonException e) {
        List<JacksonException.Reference> path = e.getPath();
        return path == null || path.isEmpty() ? null : path.getLast().getPropertyName();
    }
}
