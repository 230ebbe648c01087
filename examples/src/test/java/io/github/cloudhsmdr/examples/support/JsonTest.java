package io.github.cloudhsmdr.examples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void writesJsonThatAParserReadsBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        m.put("count", 3L);
        m.put("ok", true);
        m.put("none", null);
        m.put("empty", List.of());
        m.put("nested", Map.of("list", List.of(1, "two")));
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        m.put("nullInList", withNull);

        JsonNode read = new ObjectMapper().readTree(Json.write(m));

        assertEquals(m.get("text"), read.get("text").asText());
        assertEquals(3, read.get("count").asInt());
        assertTrue(read.get("ok").asBoolean());
        assertTrue(read.get("none").isNull());
        assertEquals(0, read.get("empty").size());
        assertEquals("two", read.get("nested").get("list").get(1).asText());
        assertTrue(read.get("nullInList").get(0).isNull());
    }

    @Test
    void refusesOtherTypes() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("when", java.time.Instant.EPOCH)));
    }
}
