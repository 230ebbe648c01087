package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Checks documents against the committed schemas in {@code schemas/<command>.json}, with networknt's validator. */
final class Schemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Schemas() {
    }

    static Schema of(String command) {
        try (InputStream in = Schemas.class.getResourceAsStream("/schemas/" + command + ".json")) {
            assertNotNull(in, "no schema for " + command);
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the errors of {@code document} against its command's schema */
    static List<Error> errors(JsonNode document) {
        return of(document.path("command").asText()).validate(document);
    }

    /** @return the parsed document, after asserting that it follows its command's schema */
    static JsonNode validated(String json) {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
        assertEquals(List.of(), errors(doc).stream().map(Error::toString).toList(), json);
        return doc;
    }
}
