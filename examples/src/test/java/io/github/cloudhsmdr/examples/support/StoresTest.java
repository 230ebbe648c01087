package io.github.cloudhsmdr.examples.support;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoresTest {

    @Test
    void loopbackEndpointsAreRecognisedWithoutResolvingNames() {
        assertTrue(Stores.isLoopback(URI.create("http://127.0.0.1:4566")));
        assertTrue(Stores.isLoopback(URI.create("http://127.1.2.3:80")));
        assertTrue(Stores.isLoopback(URI.create("http://localhost:4566")));
        assertTrue(Stores.isLoopback(URI.create("http://[::1]:4566")));
        assertFalse(Stores.isLoopback(URI.create("https://cloudhsmv2.us-east-1.amazonaws.com")));
        assertFalse(Stores.isLoopback(URI.create("https://10.0.0.12")));
        assertFalse(Stores.isLoopback(URI.create("https://vpce-0a1b.cloudhsmv2.us-east-1.vpce.amazonaws.com")));
    }
}
