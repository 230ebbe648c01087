package io.github.cloudhsmdr.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTest {

    @Test
    void demoReplicatesAWeekOfBackupsToTwoRegionsAndExitsZero() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = Demo.run(out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(0, code, text);
        assertTrue(text.contains("28 copies to start"), text);
        assertTrue(text.contains("status=SUCCESS pairs=4 copied=28"), text);
        assertTrue(text.contains("copied=0 alreadyPresent=28"), text);
        assertTrue(text.contains("(warn after PT28H, critical after PT32H): OK"), text);
        assertTrue(text.contains("Demo OK"), text);
    }
}
