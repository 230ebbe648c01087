package io.github.cloudhsmdr.settings;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointsTest {

    @Test
    void acceptsHttpAndHttpsUrlsWithAHost() {
        assertEquals(URI.create("http://127.0.0.1:4566"), Endpoints.parse(" http://127.0.0.1:4566 "));
        assertEquals(URI.create("https://cloudhsmv2.vpce.example.com"),
                Endpoints.parse("https://cloudhsmv2.vpce.example.com"));
    }

    @Test
    void rejectsOtherSchemesAndNonUrlsNamingTheValue() {
        for (String text : new String[] {"ftp://x", "localhost:4566", "http://", "http://a b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoints.parse(text));
            assertEquals("'" + text + "' is not an http(s) URL such as http://127.0.0.1:4566", e.getMessage());
        }
    }
}
