package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.Failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * The JSON documents of the commands, on Jackson's tree model. Every document starts with the same envelope
 * ({@code schemaVersion}, {@code command}, {@code status}, {@code startedAt}, {@code finishedAt}, {@code error});
 * instants are ISO-8601; a duration {@code x} is written as ISO-8601 {@code x} and whole seconds
 * {@code xSeconds}; absent values are written as {@code null}, never left out. The JSON Schemas are in
 * {@code schemas/<command>.json} next to this class's resources.
 */
final class Json {
    /** The version of the documents' shape; raised when a field changes meaning or goes away. */
    static final int SCHEMA_VERSION = 1;

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** @return the envelope of a document */
    static ObjectNode envelope(String command, String status, Instant startedAt, Instant finishedAt, String error) {
        ObjectNode n = object();
        n.put("schemaVersion", SCHEMA_VERSION);
        n.put("command", command);
        n.put("status", status);
        instant(n, "startedAt", startedAt);
        instant(n, "finishedAt", finishedAt);
        n.put("error", error);
        return n;
    }

    static void instant(ObjectNode n, String key, Instant value) {
        n.put(key, value == null ? null : value.toString());
    }

    /** Writes {@code key} as ISO-8601 and {@code keySeconds} as whole seconds; both {@code null} when absent. */
    static void duration(ObjectNode n, String key, Duration value) {
        n.put(key, value == null ? null : value.toString());
        n.put(key + "Seconds", value == null ? null : value.getSeconds());
    }

    static void failure(ObjectNode n, String key, Failure f) {
        if (f == null) {
            n.putNull(key);
            return;
        }
        ObjectNode o = n.putObject(key);
        o.put("kind", f.kind().name());
        o.put("operation", f.operation());
        o.put("message", f.message());
        o.put("attempts", f.attempts());
    }

    static ArrayNode failures(ObjectNode n, String key, Collection<Failure> failures) {
        ArrayNode a = n.putArray(key);
        for (Failure f : failures) {
            ObjectNode holder = object();
            failure(holder, "f", f);
            a.add(holder.get("f"));
        }
        return a;
    }

    static void strings(ObjectNode n, String key, Collection<String> values) {
        ArrayNode a = n.putArray(key);
        values.forEach(a::add);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
